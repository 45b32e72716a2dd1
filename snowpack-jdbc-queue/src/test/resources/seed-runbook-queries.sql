-- Every SQL statement printed in the operator runbooks (shared/seeds), copied verbatim with line breaks restored
-- and the one placeholder filled ('<database>.<table>' -> 'offer_service.offers'). SeedRunbookQueriesTest runs
-- each one, unchanged, against a migrated PostgreSQL schema (search_path set to it, as an operator's psql
-- session would be). Statements end with a semicolon at the end of a line.

-- seed 000 (troubleshooting): "Verify the job_queue has unclaimed work"
SELECT COUNT(*) FROM job_queue
WHERE claimed_at IS NULL AND visible_at <= NOW();

-- seed 000: "Check queue row timestamps"
SELECT job_id, visible_at, claimed_at
FROM job_queue
WHERE claimed_at IS NULL
ORDER BY visible_at;

-- seed 000: "Check for stale claims (claimed but not progressing)"
SELECT job_id, claimed_at
FROM job_queue
WHERE claimed_at IS NOT NULL
AND claimed_at < NOW() - INTERVAL '30 minutes';

-- seed 000: "Check who holds the lock"
SELECT table_key, holder, acquired_at, expires_at
FROM table_locks
WHERE table_key = 'offer_service.offers';

-- seed 002 (scheduler runbook): "Query the scheduler leader lease"
SELECT * FROM scheduler_leader WHERE lock_key = 'scheduler';

-- seed 002: "Check active connections"
SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'arco%';

-- seed 002: "Check for blocking queries"
SELECT blocked_locks.pid AS blocked_pid,
          blocked_activity.usename AS blocked_user,
          blocking_locks.pid AS blocking_pid,
          blocking_activity.usename AS blocking_user,
          blocked_activity.query AS blocked_statement
   FROM pg_catalog.pg_locks blocked_locks
   JOIN pg_catalog.pg_stat_activity blocked_activity ON blocked_activity.pid = blocked_locks.pid
   JOIN pg_catalog.pg_locks blocking_locks ON blocking_locks.locktype = blocked_locks.locktype
   JOIN pg_catalog.pg_stat_activity blocking_activity ON blocking_activity.pid = blocking_locks.pid
   WHERE NOT blocked_locks.granted AND blocked_locks.pid != blocking_locks.pid;

-- seed 002: "Identify stuck tasks"
SELECT task_id, state, last_transition_at
FROM task_executions
WHERE state IN ('Ready', 'Dispatched')
  AND last_transition_at < NOW() - INTERVAL '30 minutes';

-- seed 002: "Reset to Pending (allows re-scheduling)"
UPDATE task_executions
SET state = 'Pending', last_transition_reason = 'manual_reset'
WHERE state IN ('Ready', 'Dispatched')
  AND last_transition_at < NOW() - INTERVAL '30 minutes';
