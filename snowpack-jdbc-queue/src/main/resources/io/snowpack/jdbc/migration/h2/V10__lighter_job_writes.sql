-- As on PostgreSQL: the retention prune reads jobs_submitted_idx (a job finished before the cutoff was submitted
-- before it), so jobs_completed_idx, which every completion wrote to, goes. H2 has no fill factor to set.
DROP INDEX ${schema}.jobs_completed_idx;
