-- Identifiers compared byte by byte: job ids (jobs, job_actions, job_queue), and table locks' keys and holders.
--
-- Every claim, start, settle and submit looks these up in B-tree indexes, one comparison per tree level and more per
-- page searched. Under the database's collation (en_US.UTF-8, C.UTF-8 and the like) each comparison of two strings
-- goes through the C library's strcoll, about 3 % of PostgreSQL's CPU per job on the worker's hot path; under "C" it is
-- a memcmp. Job ids are hexadecimal and lock keys are compared only for equality, so no order anyone reads changes.
-- An index on such a column also no longer depends on the operating system's collation tables, whose changes (as in
-- glibc 2.28) silently corrupt indexes on text under a linguistic collation.
--
-- Changing a column's collation rewrites no rows, but rebuilds the indexes that include it (the primary keys of all
-- four tables and jobs_submitted_idx), holding off writes to those tables while it runs: on a long job history, run
-- it in a quiet window. The runbook view reads jobs.job_id, so it is dropped and created again from the definition
-- and triggers the database holds for it, unchanged.
DO $$
DECLARE
    runbook CONSTANT regclass := '${schema}.task_executions'::regclass;
    runbook_definition CONSTANT text := pg_get_viewdef(runbook);
    runbook_triggers CONSTANT text[] := ARRAY(SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t
                                               WHERE t.tgrelid = runbook AND NOT t.tgisinternal);
    runbook_trigger text;
BEGIN
    DROP VIEW ${schema}.task_executions;
    ALTER TABLE ${schema}.jobs ALTER COLUMN job_id TYPE VARCHAR(32) COLLATE "C";
    ALTER TABLE ${schema}.job_actions ALTER COLUMN job_id TYPE VARCHAR(32) COLLATE "C";
    ALTER TABLE ${schema}.job_queue ALTER COLUMN job_id TYPE VARCHAR(32) COLLATE "C";
    ALTER TABLE ${schema}.table_locks
        ALTER COLUMN table_key TYPE VARCHAR(511) COLLATE "C",
        ALTER COLUMN holder TYPE VARCHAR(255) COLLATE "C";
    EXECUTE 'CREATE VIEW ${schema}.task_executions AS ' || runbook_definition;
    FOREACH runbook_trigger IN ARRAY runbook_triggers LOOP
        EXECUTE runbook_trigger;
    END LOOP;
END
$$;
