-- Snowpack schema, version 1 (PostgreSQL). ${schema} is replaced by the configured schema name; the file also
-- works with Flyway given a placeholder named "schema". Table and column names follow the operator runbooks.

-- Jobs: the record of every maintenance job. attempt_id echoes the fence of the claim that last started it.
CREATE TABLE ${schema}.jobs (
    job_id        VARCHAR(32)  PRIMARY KEY,
    database      VARCHAR(255) NOT NULL,
    table_name    VARCHAR(255) NOT NULL,
    actions       VARCHAR(255) NOT NULL,
    dry_run       BOOLEAN      NOT NULL,
    status        VARCHAR(16)  NOT NULL
        CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
    submitted_at  TIMESTAMPTZ  NOT NULL,
    started_at    TIMESTAMPTZ,
    completed_at  TIMESTAMPTZ,
    error         VARCHAR,
    attempts      INTEGER      NOT NULL DEFAULT 0,
    attempt_id    BIGINT,
    triggered_by  VARCHAR(16)  NOT NULL CHECK (triggered_by IN ('manual', 'orchestrator'))
);
CREATE INDEX jobs_submitted_idx ON ${schema}.jobs (submitted_at DESC, job_id);
CREATE INDEX jobs_table_idx ON ${schema}.jobs (database, table_name, submitted_at DESC);
CREATE INDEX jobs_status_idx ON ${schema}.jobs (status, submitted_at DESC);
CREATE INDEX jobs_completed_idx ON ${schema}.jobs (completed_at) WHERE completed_at IS NOT NULL;

-- One row per finished action, written as the action ends so a crash loses no finished result.
CREATE TABLE ${schema}.job_actions (
    job_id          VARCHAR(32)      NOT NULL REFERENCES ${schema}.jobs (job_id) ON DELETE CASCADE,
    seq             INTEGER          NOT NULL,
    action          VARCHAR(64)      NOT NULL,
    success         BOOLEAN          NOT NULL,
    message         VARCHAR          NOT NULL,
    error           VARCHAR,
    elapsed_seconds DOUBLE PRECISION NOT NULL,
    metrics         VARCHAR          NOT NULL,
    recorded_at     TIMESTAMPTZ      NOT NULL,
    PRIMARY KEY (job_id, seq)
);

-- The work queue: only live work lives here (terminal jobs stay in jobs), so it stays small.
-- claimed_at is refreshed by every heartbeat: claimed_at < now() - interval '30 minutes' means stalled.
CREATE SEQUENCE ${schema}.job_queue_fence_seq;
CREATE TABLE ${schema}.job_queue (
    job_id     VARCHAR(32)  PRIMARY KEY,
    visible_at TIMESTAMPTZ  NOT NULL,
    claimed_at TIMESTAMPTZ,
    claimed_by VARCHAR(255),
    attempts   INTEGER      NOT NULL DEFAULT 0,
    fence      BIGINT       NOT NULL DEFAULT 0
) WITH (
    -- Rows churn (insert, update, delete) at queue speed: vacuum early and often so dead tuples never pile up
    -- in front of the claim index, and leave room on each page for HOT updates of claims and heartbeats.
    fillfactor = 70,
    autovacuum_vacuum_scale_factor = 0.0,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_insert_scale_factor = 0.0,
    autovacuum_vacuum_insert_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.0,
    autovacuum_analyze_threshold = 1000,
    autovacuum_vacuum_cost_delay = 0
);
CREATE INDEX job_queue_claimable_idx ON ${schema}.job_queue (visible_at) WHERE claimed_at IS NULL;
CREATE INDEX job_queue_claimed_idx ON ${schema}.job_queue (claimed_at) WHERE claimed_at IS NOT NULL;

-- One maintenance job per table at a time.
CREATE SEQUENCE ${schema}.table_locks_fence_seq;
CREATE TABLE ${schema}.table_locks (
    table_key   VARCHAR(511) PRIMARY KEY,
    holder      VARCHAR(255) NOT NULL,
    acquired_at TIMESTAMPTZ  NOT NULL,
    expires_at  TIMESTAMPTZ  NOT NULL,
    fence       BIGINT       NOT NULL
);

-- The table inventory with its latest health, and the health history.
CREATE TABLE ${schema}.table_cache (
    database                 VARCHAR(255) NOT NULL,
    table_name               VARCHAR(255) NOT NULL,
    data_files               BIGINT       NOT NULL,
    small_files              BIGINT       NOT NULL,
    average_file_size_bytes  BIGINT       NOT NULL,
    position_delete_files    BIGINT       NOT NULL,
    equality_delete_files    BIGINT       NOT NULL,
    total_records            BIGINT       NOT NULL,
    total_bytes              BIGINT       NOT NULL,
    snapshots                INTEGER      NOT NULL,
    oldest_snapshot_at       TIMESTAMPTZ,
    data_manifests           INTEGER      NOT NULL,
    delete_manifests         INTEGER      NOT NULL,
    metadata_file_size_bytes BIGINT       NOT NULL,
    format_version           INTEGER      NOT NULL,
    properties               VARCHAR      NOT NULL,
    property_problems        VARCHAR      NOT NULL,
    reasons                  VARCHAR      NOT NULL,
    maintenance_enabled      BOOLEAN      NOT NULL,
    needs_maintenance        BOOLEAN      NOT NULL,
    synced_at                TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (database, table_name)
);
CREATE INDEX table_cache_enabled_idx ON ${schema}.table_cache (maintenance_enabled, database, table_name);

CREATE SEQUENCE ${schema}.health_snapshots_id_seq;
CREATE TABLE ${schema}.health_snapshots (
    snapshot_id BIGINT DEFAULT nextval('${schema}.health_snapshots_id_seq') PRIMARY KEY,
    LIKE ${schema}.table_cache
);
CREATE INDEX health_snapshots_table_idx ON ${schema}.health_snapshots (database, table_name, synced_at DESC);
CREATE INDEX health_snapshots_synced_idx ON ${schema}.health_snapshots (synced_at);

CREATE TABLE ${schema}.table_cache_status (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_synced TIMESTAMPTZ
);
INSERT INTO ${schema}.table_cache_status (id, last_synced) VALUES (1, NULL);

-- Orchestrator runs: what each run assessed, skipped and submitted.
CREATE SEQUENCE ${schema}.orchestrator_runs_id_seq;
CREATE TABLE ${schema}.orchestrator_runs (
    run_id          BIGINT DEFAULT nextval('${schema}.orchestrator_runs_id_seq') PRIMARY KEY,
    leader          VARCHAR(255) NOT NULL,
    started_at      TIMESTAMPTZ  NOT NULL,
    finished_at     TIMESTAMPTZ,
    tables_assessed INTEGER      NOT NULL DEFAULT 0,
    tables_skipped  INTEGER      NOT NULL DEFAULT 0,
    tables_healthy  INTEGER      NOT NULL DEFAULT 0,
    jobs_submitted  INTEGER      NOT NULL DEFAULT 0,
    details         VARCHAR
);
CREATE INDEX orchestrator_runs_started_idx ON ${schema}.orchestrator_runs (started_at DESC);

-- Leader leases: lock_key = 'scheduler' is the orchestrator and sweeper leader.
CREATE TABLE ${schema}.scheduler_leader (
    lock_key    VARCHAR(255) PRIMARY KEY,
    holder_id   VARCHAR(255) NOT NULL,
    acquired_at TIMESTAMPTZ  NOT NULL,
    expires_at  TIMESTAMPTZ  NOT NULL
);

-- Settings shared by every process (drain mode).
CREATE TABLE ${schema}.snowpack_settings (
    setting_name  VARCHAR(255) PRIMARY KEY,
    setting_value VARCHAR      NOT NULL,
    updated_at TIMESTAMPTZ  NOT NULL
);

-- The scheduler runbook's view of work: one row per job, in the runbook's vocabulary.
--   Ready      queued and visible, waiting for a worker      Pending  queued, visible later (retry backoff)
--   Dispatched claimed by a worker (last_transition_at = last heartbeat)
--   Succeeded / Failed / Cancelled  terminal
-- Its "Reset to Pending" UPDATE hands a stuck job back to the queue with its claim revoked.
CREATE VIEW ${schema}.task_executions AS
SELECT j.job_id AS task_id,
       CASE
           WHEN j.status = 'completed' THEN 'Succeeded'
           WHEN j.status = 'failed' THEN 'Failed'
           WHEN j.status = 'cancelled' THEN 'Cancelled'
           WHEN q.claimed_at IS NOT NULL THEN 'Dispatched'
           WHEN q.job_id IS NULL THEN 'Orphaned'
           WHEN q.visible_at <= now() THEN 'Ready'
           ELSE 'Pending'
       END AS state,
       COALESCE(j.completed_at, q.claimed_at, q.visible_at, j.submitted_at) AS last_transition_at,
       j.error AS last_transition_reason,
       j.database,
       j.table_name,
       j.attempts
FROM ${schema}.jobs j
LEFT JOIN ${schema}.job_queue q ON q.job_id = j.job_id;

CREATE FUNCTION ${schema}.task_executions_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state <> 'Pending' OR OLD.state NOT IN ('Ready', 'Dispatched', 'Pending') THEN
        RAISE EXCEPTION 'task_executions only supports resetting Ready or Dispatched tasks to Pending (task %, % -> %)',
            OLD.task_id, OLD.state, NEW.state;
    END IF;
    UPDATE ${schema}.job_queue
       SET claimed_at = NULL, claimed_by = NULL, visible_at = now(),
           fence = nextval('${schema}.job_queue_fence_seq')
     WHERE job_id = OLD.task_id;
    UPDATE ${schema}.jobs
       SET status = 'pending', error = COALESCE(NEW.last_transition_reason, error)
     WHERE job_id = OLD.task_id AND status = 'running';
    RETURN NEW;
END;
$$;
CREATE TRIGGER task_executions_reset INSTEAD OF UPDATE ON ${schema}.task_executions
    FOR EACH ROW EXECUTE FUNCTION ${schema}.task_executions_reset();
