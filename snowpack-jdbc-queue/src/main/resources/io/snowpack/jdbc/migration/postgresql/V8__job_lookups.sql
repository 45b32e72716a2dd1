-- Two questions asked per table on hot paths, each answered by one probe of a small partial index instead of a scan
-- of the table's whole job history: "is a job of this table unfinished?" (every submit) and "when was this table
-- last maintained?" (every plan and orchestrator assessment).
CREATE INDEX jobs_unfinished_idx ON ${schema}.jobs (database, table_name)
    WHERE status IN ('pending', 'running') AND dry_run = FALSE;
CREATE INDEX jobs_last_completed_idx ON ${schema}.jobs (database, table_name, completed_at DESC)
    WHERE status = 'completed' AND dry_run = FALSE;
