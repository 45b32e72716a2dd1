-- Two index entries fewer per job, each a write to the WAL on the worker's hot path:
--   * jobs_completed_idx goes. Its only reader was the retention prune (completed_at < cutoff), which now reads
--     jobs_submitted_idx: a job is submitted before it finishes, so a job finished before the cutoff was submitted
--     before it too. A job's completion then writes one index entry fewer.
--   * table_locks leaves half of each page free, so that renewing a lock (every claim and heartbeat of its job)
--     rewrites the row in place (a HOT update, no new entry in table_locks_pkey) instead of moving it to another page.
--     Lock rows are inserted and deleted at queue speed, so vacuum comes early, as for job_queue.
DROP INDEX ${schema}.jobs_completed_idx;
ALTER TABLE ${schema}.table_locks SET (
    fillfactor = 50,
    autovacuum_vacuum_scale_factor = 0.0,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_insert_scale_factor = 0.0,
    autovacuum_vacuum_insert_threshold = 1000,
    autovacuum_vacuum_cost_delay = 0
);
