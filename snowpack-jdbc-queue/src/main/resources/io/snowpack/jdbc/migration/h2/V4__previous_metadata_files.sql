-- Health counts the earlier metadata files listed in the table's metadata log. Rows cached before keep 0.
ALTER TABLE ${schema}.table_cache ADD COLUMN previous_metadata_files INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE ${schema}.health_snapshots ADD COLUMN previous_metadata_files INTEGER DEFAULT 0 NOT NULL;
