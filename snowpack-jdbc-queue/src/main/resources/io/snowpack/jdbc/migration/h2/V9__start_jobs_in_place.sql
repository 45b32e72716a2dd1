-- PostgreSQL's V9 drops the indexes that mention jobs.status so a job's start is a HOT update. H2 has no HOT
-- updates and no partial indexes: jobs_table_status_idx (V8) keeps serving both per-table questions, unchanged.
COMMENT ON TABLE ${schema}.jobs IS 'One row per maintenance job; terminal jobs have completed_at';
