-- Table listings page by key, (database, table_name) > (:database, :table_name) over the primary key. The key's order
-- must be one order everywhere: the same in PostgreSQL, H2, memory and Java (code point order), whatever collation
-- the database was created with (en_US sorts 'a_b' after 'ab', "C" before). Names are [a-z0-9_], so "C" loses nothing.
-- Rebuilds the primary key and table_cache_enabled_idx once (one row per table: small).
ALTER TABLE ${schema}.table_cache
    ALTER COLUMN database TYPE VARCHAR(255) COLLATE "C",
    ALTER COLUMN table_name TYPE VARCHAR(255) COLLATE "C";
COMMENT ON TABLE ${schema}.table_cache IS 'Listed by (database, table_name) in code point order; pages start after a key';
