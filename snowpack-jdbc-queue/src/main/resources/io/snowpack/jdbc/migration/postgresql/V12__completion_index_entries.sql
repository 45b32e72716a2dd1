-- One index entry fewer per job, written by its completion: jobs_last_completed_idx goes.
--
-- A job's completion sets completed_at, which jobs_unfinished_idx's predicate reads, so it is not a HOT update: the
-- new row version gets an entry in every index of jobs whose predicate it meets. That was four (the primary key,
-- jobs_submitted_idx, jobs_table_idx and jobs_last_completed_idx), about a tenth of PostgreSQL's CPU per job on the
-- worker's hot path. "When was this table last maintained?" is now read from jobs_table_idx: the table's jobs newest
-- submission first, up to the first completed one that is not a dry run. One table's real jobs never overlap (a job is
-- admitted only when the table has no unfinished one), so the newest completed by submission is also the last to
-- have completed; the jobs read past are the table's failed and cancelled jobs and dry runs since then.
DROP INDEX ${schema}.jobs_last_completed_idx;
