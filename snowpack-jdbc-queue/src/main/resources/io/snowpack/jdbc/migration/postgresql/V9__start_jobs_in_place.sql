-- A job's start (pending -> running: status, started_at, attempts) rewrites its row in place, a HOT update that
-- adds no index entries, when no index covers or filters on a column the start changes, and its page has room.
-- So no index of jobs mentions status any more:
--   * jobs_status_idx goes: job listings by status read the submission order (a pending or running filter reads
--     only the unfinished jobs, through jobs_unfinished_idx);
--   * "unfinished" is completed_at IS NULL (every terminal status sets completed_at, no other does);
--   * "last maintained" reads a table's finished jobs newest first and takes the first completed one.
-- Each job then writes 10 index entries in its life instead of 16, and a claim no longer walks the status index
-- through every pending job. Index builds hold off writes to jobs while they run (one pass over the table).
DROP INDEX ${schema}.jobs_status_idx;
DROP INDEX ${schema}.jobs_unfinished_idx;
CREATE INDEX jobs_unfinished_idx ON ${schema}.jobs (database, table_name) WHERE completed_at IS NULL;
DROP INDEX ${schema}.jobs_last_completed_idx;
CREATE INDEX jobs_last_completed_idx ON ${schema}.jobs (database, table_name, completed_at DESC)
    WHERE completed_at IS NOT NULL AND dry_run = FALSE;
-- Room on each page for the started row next to the submitted one.
ALTER TABLE ${schema}.jobs SET (fillfactor = 80);
