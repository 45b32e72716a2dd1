-- Snowpack schema, version 1 (H2). ${schema} is replaced by the configured schema name; the file also
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
    submitted_at  TIMESTAMP WITH TIME ZONE  NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE,
    completed_at  TIMESTAMP WITH TIME ZONE,
    error         VARCHAR,
    attempts      INTEGER      NOT NULL DEFAULT 0,
    attempt_id    BIGINT,
    triggered_by  VARCHAR(16)  NOT NULL CHECK (triggered_by IN ('manual', 'orchestrator'))
);
CREATE INDEX jobs_submitted_idx ON ${schema}.jobs (submitted_at DESC, job_id);
CREATE INDEX jobs_table_idx ON ${schema}.jobs (database, table_name, submitted_at DESC);
CREATE INDEX jobs_status_idx ON ${schema}.jobs (status, submitted_at DESC);
CREATE INDEX jobs_completed_idx ON ${schema}.jobs (completed_at);

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
    recorded_at     TIMESTAMP WITH TIME ZONE      NOT NULL,
    PRIMARY KEY (job_id, seq)
);

-- The work queue: only live work lives here (terminal jobs stay in jobs), so it stays small.
-- claimed_at is refreshed by every heartbeat: claimed_at < now() - interval '30 minutes' means stalled.
CREATE SEQUENCE ${schema}.job_queue_fence_seq;
CREATE TABLE ${schema}.job_queue (
    job_id     VARCHAR(32)  PRIMARY KEY,
    visible_at TIMESTAMP WITH TIME ZONE  NOT NULL,
    claimed_at TIMESTAMP WITH TIME ZONE,
    claimed_by VARCHAR(255),
    attempts   INTEGER      NOT NULL DEFAULT 0,
    fence      BIGINT       NOT NULL DEFAULT 0
);
CREATE INDEX job_queue_claimable_idx ON ${schema}.job_queue (visible_at);
-- No index on claimed_at: H2 has no partial indexes, and a full one lures its planner away from the
-- visible_at index for claims ("claimed_at IS NULL" matches every waiting row), forcing a sort per claim.

-- One maintenance job per table at a time.
CREATE SEQUENCE ${schema}.table_locks_fence_seq;
CREATE TABLE ${schema}.table_locks (
    table_key   VARCHAR(511) PRIMARY KEY,
    holder      VARCHAR(255) NOT NULL,
    acquired_at TIMESTAMP WITH TIME ZONE  NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE  NOT NULL,
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
    oldest_snapshot_at       TIMESTAMP WITH TIME ZONE,
    data_manifests           INTEGER      NOT NULL,
    delete_manifests         INTEGER      NOT NULL,
    metadata_file_size_bytes BIGINT       NOT NULL,
    format_version           INTEGER      NOT NULL,
    properties               VARCHAR      NOT NULL,
    property_problems        VARCHAR      NOT NULL,
    reasons                  VARCHAR      NOT NULL,
    maintenance_enabled      BOOLEAN      NOT NULL,
    needs_maintenance        BOOLEAN      NOT NULL,
    synced_at                TIMESTAMP WITH TIME ZONE  NOT NULL,
    PRIMARY KEY (database, table_name)
);
CREATE INDEX table_cache_enabled_idx ON ${schema}.table_cache (maintenance_enabled, database, table_name);

CREATE SEQUENCE ${schema}.health_snapshots_id_seq;
CREATE TABLE ${schema}.health_snapshots (
    snapshot_id BIGINT DEFAULT NEXT VALUE FOR ${schema}.health_snapshots_id_seq PRIMARY KEY,
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
    oldest_snapshot_at       TIMESTAMP WITH TIME ZONE,
    data_manifests           INTEGER      NOT NULL,
    delete_manifests         INTEGER      NOT NULL,
    metadata_file_size_bytes BIGINT       NOT NULL,
    format_version           INTEGER      NOT NULL,
    properties               VARCHAR      NOT NULL,
    property_problems        VARCHAR      NOT NULL,
    reasons                  VARCHAR      NOT NULL,
    maintenance_enabled      BOOLEAN      NOT NULL,
    needs_maintenance        BOOLEAN      NOT NULL,
    synced_at                TIMESTAMP WITH TIME ZONE  NOT NULL
);
CREATE INDEX health_snapshots_table_idx ON ${schema}.health_snapshots (database, table_name, synced_at DESC);
CREATE INDEX health_snapshots_synced_idx ON ${schema}.health_snapshots (synced_at);

CREATE TABLE ${schema}.table_cache_status (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_synced TIMESTAMP WITH TIME ZONE
);
INSERT INTO ${schema}.table_cache_status (id, last_synced) VALUES (1, NULL);

-- Orchestrator runs: what each run assessed, skipped and submitted.
CREATE SEQUENCE ${schema}.orchestrator_runs_id_seq;
CREATE TABLE ${schema}.orchestrator_runs (
    run_id          BIGINT DEFAULT NEXT VALUE FOR ${schema}.orchestrator_runs_id_seq PRIMARY KEY,
    leader          VARCHAR(255) NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE  NOT NULL,
    finished_at     TIMESTAMP WITH TIME ZONE,
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
    acquired_at TIMESTAMP WITH TIME ZONE  NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE  NOT NULL
);

-- Settings shared by every process (drain mode).
CREATE TABLE ${schema}.snowpack_settings (
    setting_name  VARCHAR(255) PRIMARY KEY,
    setting_value VARCHAR      NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE  NOT NULL
);
