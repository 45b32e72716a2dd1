-- Health counts the deletion vectors of format v3 tables apart from position-delete files. Rows cached before keep 0.
ALTER TABLE ${schema}.table_cache ADD COLUMN deletion_vectors BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE ${schema}.health_snapshots ADD COLUMN deletion_vectors BIGINT DEFAULT 0 NOT NULL;
