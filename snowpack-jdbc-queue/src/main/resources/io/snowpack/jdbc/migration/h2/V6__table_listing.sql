-- Table listings page by key, (database, table_name) after (:database, :table_name) over the primary key. H2 already
-- compares strings in code point order, the order PostgreSQL gets from V6 and memory and Java use: nothing to change.
COMMENT ON TABLE ${schema}.table_cache IS 'Listed by (database, table_name) in code point order; pages start after a key';
