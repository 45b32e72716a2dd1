-- Settles a batch of jobs in one call, with one plan per session that reaches every row by its key.
--
-- The batch settle used to be a statement sent with its values and planned on every run: the plan a prepared
-- statement keeps is drawn up once, and on a young schema (a few pages per table) it scans the queue and the job
-- history, which then grow by a dead row version per claim and settle until autovacuum comes by, so the kept plan
-- went on scanning them. Planning every run avoided that, and cost about a sixth of PostgreSQL's time per job.
--
-- This function's statement is planned once per session (plan_cache_mode), with scans and hash or merge joins
-- disabled while it is planned, so the plan it keeps probes each key whatever the tables' size at the time: the
-- queue rows by (job_id), the jobs by job_id, the previous results by (job_id, seq), the locks by table_key. The
-- batch's own rows are never joined with each other: a job's lock travels with its claim through the queue row's
-- delete, and a result is kept when its job is in the array of settled jobs (a scan of at most the batch, so the
-- caller sends at most a few hundred jobs per call). jit is off because a plan priced with a disabled node would
-- otherwise be compiled.
--
-- Its arrays, in order: the claims (job id and fence, one per job), the results (job id, 1-based order within the
-- job, action, success, message, error, elapsed seconds, metrics as JSON text; any number per job) and the locks
-- (table key, holder, fence; one per job, at its claim's place). Only a job whose queue row still carries its
-- claim's fence is settled, and only such a job's results and lock are written and released; the ids of the settled
-- jobs are returned.
CREATE FUNCTION ${schema}.settle_jobs(
    settled_at       TIMESTAMP WITH TIME ZONE,
    claim_jobs       VARCHAR[],
    claim_fences     BIGINT[],
    result_jobs      VARCHAR[],
    result_ords      INTEGER[],
    result_actions   VARCHAR[],
    result_successes BOOLEAN[],
    result_messages  VARCHAR[],
    result_errors    VARCHAR[],
    result_elapsed   DOUBLE PRECISION[],
    result_metrics   VARCHAR[],
    lock_keys        VARCHAR[],
    lock_holders     VARCHAR[],
    lock_fences      BIGINT[])
RETURNS SETOF VARCHAR
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET jit = off
AS $$
BEGIN
    RETURN QUERY
    WITH done AS (
        DELETE FROM ${schema}.job_queue q
         USING unnest(claim_jobs, claim_fences, lock_keys, lock_holders, lock_fences)
               AS c (job_id, fence, lock_key, lock_holder, lock_fence)
         WHERE q.job_id = c.job_id AND q.fence = c.fence AND q.claimed_by IS NOT NULL
        RETURNING q.job_id, c.lock_key, c.lock_holder, c.lock_fence
    ), finished AS (
        UPDATE ${schema}.jobs j SET status = 'completed', completed_at = settled_at
          FROM done d
         WHERE j.job_id = d.job_id AND j.status = 'running'
        RETURNING j.job_id
    ), recorded AS (
        INSERT INTO ${schema}.job_actions (job_id, seq, action, success, message, error, elapsed_seconds, metrics,
                                           recorded_at)
        SELECT r.job_id, COALESCE((SELECT MAX(a.seq) FROM ${schema}.job_actions a WHERE a.job_id = r.job_id), 0)
                   + r.ord, r.action, r.success, r.message, r.error, r.elapsed, r.metrics, settled_at
          FROM unnest(result_jobs, result_ords, result_actions, result_successes, result_messages, result_errors,
                      result_elapsed, result_metrics)
               AS r (job_id, ord, action, success, message, error, elapsed, metrics)
         WHERE r.job_id = ANY (ARRAY(SELECT f.job_id FROM finished f))
    ), released AS (
        DELETE FROM ${schema}.table_locks l
         USING done d
         WHERE l.table_key = d.lock_key AND l.holder = d.lock_holder AND l.fence = d.lock_fence
    )
    SELECT f.job_id FROM finished f;
END;
$$;
