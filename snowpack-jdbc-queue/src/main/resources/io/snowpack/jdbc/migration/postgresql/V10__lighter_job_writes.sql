-- Fewer index entries per job, each a write to the WAL on the worker's hot path:
--   * jobs_completed_idx goes. Its only reader was the retention prune (completed_at < cutoff), which now reads
--     jobs_submitted_idx: a job is submitted before it finishes, so a job finished before the cutoff was submitted
--     before it too. A job's completion then writes one index entry fewer.
--   * jobs keeps half of each page free (80 % full before). A burst of submits fills pages up to the fill factor, and
--     the starts of those jobs need room on the same page to be HOT updates: at 80 %, half of them found none and
--     moved their row, with an entry in each of the four indexes of jobs. The job history takes about 1.6 times the
--     space for it (a row is updated twice soon after it is written, and never again).
--   * table_locks likewise leaves half of each page free, so that renewing a lock (every claim and heartbeat of its
--     job) rewrites the row in place instead of moving it. Lock rows are inserted and deleted at queue speed, so
--     vacuum comes early, as for job_queue.
DROP INDEX ${schema}.jobs_completed_idx;
ALTER TABLE ${schema}.jobs SET (fillfactor = 50);
ALTER TABLE ${schema}.table_locks SET (
    fillfactor = 50,
    autovacuum_vacuum_scale_factor = 0.0,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_insert_scale_factor = 0.0,
    autovacuum_vacuum_insert_threshold = 1000,
    autovacuum_vacuum_cost_delay = 0
);
