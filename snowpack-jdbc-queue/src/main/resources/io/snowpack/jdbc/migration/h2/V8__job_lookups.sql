-- Two questions asked per table on hot paths, answered from an index instead of a scan of the table's whole job
-- history: "is a job of this table unfinished?" (every submit) and "when was this table last maintained?" (every
-- plan and orchestrator assessment). H2 has no partial indexes.
CREATE INDEX jobs_table_status_idx ON ${schema}.jobs (database, table_name, status, completed_at);
