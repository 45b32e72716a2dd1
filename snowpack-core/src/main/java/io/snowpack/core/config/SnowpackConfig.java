package io.snowpack.core.config;

import static io.snowpack.core.config.ConfigValues.atLeast;
import static io.snowpack.core.config.ConfigValues.invalid;
import static io.snowpack.core.config.ConfigValues.nonNegative;
import static io.snowpack.core.config.ConfigValues.positive;

import io.snowpack.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Snowpack's configuration: immutable and always valid. Build it in code ({@link #builder()}, starting from
 * the {@code DEFAULT_*} values), or read it from {@code SNOWPACK_*} environment variables
 * ({@link #fromEnvironment(Map)}) or a properties map ({@link #fromProperties(Map)}). A bad value fails at
 * once with an {@link InvalidConfigurationException} naming the key, the value and what was expected; nothing
 * is silently replaced, and settings that contradict each other (an orchestrator database that health sync never
 * visits) are refused too.
 */
public final class SnowpackConfig {
    public static final Duration DEFAULT_STALE_CLAIM_THRESHOLD = Duration.ofMinutes(30);
    public static final Duration DEFAULT_SWEEPER_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_JOB_RETENTION = Duration.ofDays(90);
    public static final Duration DEFAULT_HEALTH_SYNC_INTERVAL = Duration.ofMinutes(15);
    public static final int DEFAULT_HEALTH_SYNC_CONCURRENCY = 10;
    public static final Duration DEFAULT_ORCHESTRATOR_INTERVAL = Duration.ofHours(2);
    public static final Duration DEFAULT_MAINTENANCE_CADENCE = Duration.ofHours(6);
    public static final MaintenanceMode DEFAULT_MAINTENANCE_MODE = MaintenanceMode.OPT_IN;
    public static final Duration DEFAULT_LOCK_TTL = Duration.ofMinutes(60);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_LEADER_LEASE_TTL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RETRY_BACKOFF_BASE = Duration.ofMinutes(1);
    public static final Duration DEFAULT_RETRY_BACKOFF_CAP = Duration.ofHours(1);
    public static final double DEFAULT_RETRY_JITTER = 0.2;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);
    public static final boolean DEFAULT_DRAIN_MODE = false;

    private static final SnowpackConfig DEFAULTS = new Builder().build();

    private final Duration staleClaimThreshold;
    private final Duration sweeperInterval;
    private final Duration jobRetention;
    private final Duration healthSyncInterval;
    private final int healthSyncConcurrency;
    private final Set<String> healthSyncDatabases;
    private final Duration orchestratorInterval;
    private final Set<String> orchestratorIncludeDatabases;
    private final Duration maintenanceCadence;
    private final MaintenanceMode maintenanceMode;
    private final Duration lockTtl;
    private final Duration heartbeatInterval;
    private final Duration leaderLeaseTtl;
    private final Duration retryBackoffBase;
    private final Duration retryBackoffCap;
    private final double retryJitter;
    private final int maxAttempts;
    private final Duration retryAfter;
    private final boolean drainMode;
    private final TablePropertyDefaults tableDefaults;

    private SnowpackConfig(Builder b) {
        staleClaimThreshold = positive("sweeper.stale_claim_threshold", b.staleClaimThreshold);
        sweeperInterval = positive("sweeper.interval", b.sweeperInterval);
        jobRetention = positive("sweeper.job_retention", b.jobRetention);
        healthSyncInterval = nonNegative("health_sync.interval", b.healthSyncInterval);
        healthSyncConcurrency = atLeast("health_sync.concurrency", b.healthSyncConcurrency, 1);
        healthSyncDatabases = ConfigValues.databases("health_sync.databases", b.healthSyncDatabases);
        orchestratorInterval = positive("orchestrator.interval", b.orchestratorInterval);
        orchestratorIncludeDatabases =
                ConfigValues.databases("orchestrator.include_databases", b.orchestratorIncludeDatabases);
        maintenanceCadence = positive("orchestrator.maintenance_cadence", b.maintenanceCadence);
        maintenanceMode = Objects.requireNonNull(b.maintenanceMode, "maintenanceMode");
        lockTtl = positive("worker.lock_ttl", b.lockTtl);
        heartbeatInterval = positive("worker.heartbeat_interval", b.heartbeatInterval);
        leaderLeaseTtl = positive("leader.lease_ttl", b.leaderLeaseTtl);
        retryBackoffBase = positive("worker.retry_backoff_base", b.retryBackoffBase);
        retryBackoffCap = positive("worker.retry_backoff_cap", b.retryBackoffCap);
        retryJitter = b.retryJitter;
        maxAttempts = atLeast("worker.max_attempts", b.maxAttempts, 1);
        retryAfter = positive("api.retry_after", b.retryAfter);
        drainMode = b.drainMode;
        tableDefaults = b.tableDefaults.build();
        checkRelations();
    }

    private void checkRelations() {
        if (lockTtl.compareTo(staleClaimThreshold) <= 0) {
            throw new InvalidConfigurationException("worker.lock_ttl", "worker.lock_ttl ("
                    + ConfigValues.format(lockTtl) + ") must be longer than sweeper.stale_claim_threshold ("
                    + ConfigValues.format(staleClaimThreshold) + "): a reclaimed job must still hold its table lock");
        }
        if (heartbeatInterval.compareTo(staleClaimThreshold) >= 0) {
            throw new InvalidConfigurationException("worker.heartbeat_interval", "worker.heartbeat_interval ("
                    + ConfigValues.format(heartbeatInterval) + ") must be shorter than sweeper.stale_claim_threshold ("
                    + ConfigValues.format(staleClaimThreshold) + "), or live jobs would be reclaimed");
        }
        if (retryBackoffCap.compareTo(retryBackoffBase) < 0) {
            throw new InvalidConfigurationException("worker.retry_backoff_cap", "worker.retry_backoff_cap ("
                    + ConfigValues.format(retryBackoffCap) + ") must be at least worker.retry_backoff_base ("
                    + ConfigValues.format(retryBackoffBase) + ")");
        }
        if (!(retryJitter >= 0 && retryJitter <= 1)) {
            throw invalid("worker.retry_jitter", retryJitter, "a fraction from 0 to 1");
        }
        if (!healthSyncDatabases.isEmpty() && !healthSyncDatabases.containsAll(orchestratorIncludeDatabases)) {
            Set<String> unsynced = new java.util.TreeSet<>(orchestratorIncludeDatabases);
            unsynced.removeAll(healthSyncDatabases);
            throw new InvalidConfigurationException("orchestrator.include_databases",
                    "orchestrator.include_databases " + orchestratorIncludeDatabases + " names " + unsynced
                            + ", which health_sync.databases " + healthSyncDatabases + " does not: their tables never"
                            + " reach the table cache, so the orchestrator could never schedule them. Add them to"
                            + " health_sync.databases (or leave it empty to sync every database)");
        }
        if (retryAfter.toNanos() % 1_000_000_000L != 0) {
            throw invalid("api.retry_after", ConfigValues.format(retryAfter), "whole seconds, at least 1s");
        }
    }

    /** The defaults: every {@code DEFAULT_*} value. */
    public static SnowpackConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.staleClaimThreshold = staleClaimThreshold;
        b.sweeperInterval = sweeperInterval;
        b.jobRetention = jobRetention;
        b.healthSyncInterval = healthSyncInterval;
        b.healthSyncConcurrency = healthSyncConcurrency;
        b.healthSyncDatabases = healthSyncDatabases;
        b.orchestratorInterval = orchestratorInterval;
        b.orchestratorIncludeDatabases = orchestratorIncludeDatabases;
        b.maintenanceCadence = maintenanceCadence;
        b.maintenanceMode = maintenanceMode;
        b.lockTtl = lockTtl;
        b.heartbeatInterval = heartbeatInterval;
        b.leaderLeaseTtl = leaderLeaseTtl;
        b.retryBackoffBase = retryBackoffBase;
        b.retryBackoffCap = retryBackoffCap;
        b.retryJitter = retryJitter;
        b.maxAttempts = maxAttempts;
        b.retryAfter = retryAfter;
        b.drainMode = drainMode;
        b.tableDefaults = tableDefaults.toBuilder();
        return b;
    }

    /** The configuration the process's {@code SNOWPACK_*} environment variables describe. */
    public static SnowpackConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Reads {@code SNOWPACK_*} variables over the defaults. Variables that name no setting are ignored: host
     * applications read their own (for example {@code SNOWPACK_HTTP_PORT}).
     *
     * @throws InvalidConfigurationException naming the first bad key
     */
    public static SnowpackConfig fromEnvironment(Map<String, String> environment) {
        Builder builder = builder();
        for (Setting setting : Setting.values()) {
            for (String name : setting.environmentNames()) {
                String value = environment.get(name);
                if (value != null) {
                    setting.bind(builder, value);
                }
            }
        }
        return builder.build();
    }

    /**
     * Reads properties (keys such as {@code health_sync.concurrency}, optionally prefixed {@code snowpack.})
     * over the defaults. Strict: an unknown key is an error.
     *
     * @throws InvalidConfigurationException naming the first bad or unknown key
     */
    public static SnowpackConfig fromProperties(Map<String, String> properties) {
        Builder builder = builder();
        properties.forEach((rawKey, value) -> {
            String key = rawKey.startsWith("snowpack.") ? rawKey.substring("snowpack.".length()) : rawKey;
            Setting setting = Setting.byKey(key).orElseThrow(() -> new InvalidConfigurationException(rawKey,
                    "Unknown configuration key '" + rawKey + "'; known keys are: " + Setting.keys()));
            setting.bind(builder, Objects.requireNonNull(value, () -> "value of " + rawKey));
        });
        return builder.build();
    }

    /** A Markdown table of every setting: key, environment variable, default and meaning. */
    public static String describeSettings() {
        StringBuilder table = new StringBuilder(
                "| key | environment variable | default | meaning |\n|---|---|---|---|\n");
        for (Setting setting : Setting.values()) {
            String defaultValue = setting.read(DEFAULTS);
            table.append("| `").append(setting.key()).append("` | `")
                    .append(String.join("`, `", setting.environmentNames())).append("` | ")
                    .append(defaultValue.isEmpty() ? "(empty)" : "`" + defaultValue + "`").append(" | ")
                    .append(setting.meaning()).append(" |\n");
        }
        return table.toString();
    }

    public Duration staleClaimThreshold() { return staleClaimThreshold; }
    public Duration sweeperInterval() { return sweeperInterval; }
    public Duration jobRetention() { return jobRetention; }
    /** Zero when health sync is disabled. */
    public Duration healthSyncInterval() { return healthSyncInterval; }
    public int healthSyncConcurrency() { return healthSyncConcurrency; }
    /** Empty means every database of the catalog. */
    public Set<String> healthSyncDatabases() { return healthSyncDatabases; }
    public Duration orchestratorInterval() { return orchestratorInterval; }
    public Set<String> orchestratorIncludeDatabases() { return orchestratorIncludeDatabases; }
    public Duration maintenanceCadence() { return maintenanceCadence; }
    public MaintenanceMode maintenanceMode() { return maintenanceMode; }
    public Duration lockTtl() { return lockTtl; }
    public Duration heartbeatInterval() { return heartbeatInterval; }
    public Duration leaderLeaseTtl() { return leaderLeaseTtl; }
    public Duration retryBackoffBase() { return retryBackoffBase; }
    public Duration retryBackoffCap() { return retryBackoffCap; }
    public double retryJitter() { return retryJitter; }
    public int maxAttempts() { return maxAttempts; }
    public Duration retryAfter() { return retryAfter; }
    /** Forces drain mode on for this process, whatever the shared setting says. */
    public boolean drainMode() { return drainMode; }
    public TablePropertyDefaults tableDefaults() { return tableDefaults; }

    /** Every effective setting as {@code key=value}, for logging the configuration once at start-up. */
    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(", ", "SnowpackConfig{", "}");
        for (Setting setting : Setting.values()) {
            joiner.add(setting.key() + "=" + setting.read(this));
        }
        return joiner.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SnowpackConfig && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** Builds a {@link SnowpackConfig}; every value starts at its default and is checked by {@link #build()}. */
    public static final class Builder {
        private Duration staleClaimThreshold = DEFAULT_STALE_CLAIM_THRESHOLD;
        private Duration sweeperInterval = DEFAULT_SWEEPER_INTERVAL;
        private Duration jobRetention = DEFAULT_JOB_RETENTION;
        private Duration healthSyncInterval = DEFAULT_HEALTH_SYNC_INTERVAL;
        private int healthSyncConcurrency = DEFAULT_HEALTH_SYNC_CONCURRENCY;
        private Collection<String> healthSyncDatabases = Set.of();
        private Duration orchestratorInterval = DEFAULT_ORCHESTRATOR_INTERVAL;
        private Collection<String> orchestratorIncludeDatabases = Set.of();
        private Duration maintenanceCadence = DEFAULT_MAINTENANCE_CADENCE;
        private MaintenanceMode maintenanceMode = DEFAULT_MAINTENANCE_MODE;
        private Duration lockTtl = DEFAULT_LOCK_TTL;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration leaderLeaseTtl = DEFAULT_LEADER_LEASE_TTL;
        private Duration retryBackoffBase = DEFAULT_RETRY_BACKOFF_BASE;
        private Duration retryBackoffCap = DEFAULT_RETRY_BACKOFF_CAP;
        private double retryJitter = DEFAULT_RETRY_JITTER;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private boolean drainMode = DEFAULT_DRAIN_MODE;
        private TablePropertyDefaults.Builder tableDefaults = TablePropertyDefaults.builder();

        private Builder() {
        }

        /** Claims not heartbeated for this long are reclaimed by the sweeper. */
        public Builder staleClaimThreshold(Duration value) { staleClaimThreshold = value; return this; }
        /** How often the sweeper runs on the leader. */
        public Builder sweeperInterval(Duration value) { sweeperInterval = value; return this; }
        /** Terminal jobs and health snapshots older than this are pruned. */
        public Builder jobRetention(Duration value) { jobRetention = value; return this; }
        /** How often health sync runs; zero disables it. */
        public Builder healthSyncInterval(Duration value) { healthSyncInterval = value; return this; }
        /** Tables measured at once by health sync. */
        public Builder healthSyncConcurrency(int value) { healthSyncConcurrency = value; return this; }
        /** Databases health sync covers; empty means all. */
        public Builder healthSyncDatabases(Collection<String> value) { healthSyncDatabases = List.copyOf(value); return this; }
        /** How often the orchestrator runs on the leader. */
        public Builder orchestratorInterval(Duration value) { orchestratorInterval = value; return this; }
        /** Databases the orchestrator may schedule. */
        public Builder orchestratorIncludeDatabases(Collection<String> value) { orchestratorIncludeDatabases = List.copyOf(value); return this; }
        /** Tables maintained more recently than this are skipped by the orchestrator. */
        public Builder maintenanceCadence(Duration value) { maintenanceCadence = value; return this; }
        public Builder maintenanceMode(MaintenanceMode value) { maintenanceMode = value; return this; }
        /** Lease of a table lock; renewed by the worker's heartbeats. */
        public Builder lockTtl(Duration value) { lockTtl = value; return this; }
        public Builder heartbeatInterval(Duration value) { heartbeatInterval = value; return this; }
        public Builder leaderLeaseTtl(Duration value) { leaderLeaseTtl = value; return this; }
        public Builder retryBackoffBase(Duration value) { retryBackoffBase = value; return this; }
        public Builder retryBackoffCap(Duration value) { retryBackoffCap = value; return this; }
        /** Random spread of a retry delay, as a fraction of it (0 to 1). */
        public Builder retryJitter(double value) { retryJitter = value; return this; }
        public Builder maxAttempts(int value) { maxAttempts = value; return this; }
        /** The {@code Retry-After} the API suggests while a job is pending or running. */
        public Builder retryAfter(Duration value) { retryAfter = value; return this; }
        public Builder drainMode(boolean value) { drainMode = value; return this; }
        public Builder tableDefaults(TablePropertyDefaults value) { tableDefaults = value.toBuilder(); return this; }

        /** The table-property defaults being built, for setting one of them. */
        TablePropertyDefaults.Builder tableDefaultsBuilder() {
            return tableDefaults;
        }

        /**
         * @throws InvalidConfigurationException naming the first key whose value is out of range
         */
        public SnowpackConfig build() {
            return new SnowpackConfig(this);
        }
    }
}
