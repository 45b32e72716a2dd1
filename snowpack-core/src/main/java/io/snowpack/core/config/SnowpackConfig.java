package io.snowpack.core.config;

import static io.snowpack.core.config.ValueChecks.atLeast;
import static io.snowpack.core.config.ValueChecks.databaseNames;
import static io.snowpack.core.config.ValueChecks.fraction;
import static io.snowpack.core.config.ValueChecks.positive;
import static io.snowpack.core.config.ValueChecks.present;
import static io.snowpack.core.config.ValueChecks.wholeSeconds;
import static io.snowpack.core.config.ValueChecks.zeroOrPositive;

import io.snowpack.core.InvalidConfigurationException;
import io.snowpack.core.spi.HealthHistoryRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Snowpack's configuration: immutable, and valid once it exists. Build it in code ({@link #builder()}, every
 * value starting at its {@code DEFAULT_*} constant), or read it from {@code SNOWPACK_*} environment variables
 * ({@link #fromEnvironment(Map)}) or a properties map ({@link #fromProperties(Map)}). A value out of range, or
 * settings that contradict each other, fail at once with an {@link InvalidConfigurationException} whose
 * {@code key()} is the property key at fault and whose message names the value and what was expected. Nothing
 * is silently replaced or adjusted.
 *
 * <p>Log {@link #toString()} once at start-up: it lists every effective setting. {@link #describeSettings()}
 * documents every key.
 */
public final class SnowpackConfig {
    /** {@code sweeper.stale_claim_threshold}: 30 minutes. */
    public static final Duration DEFAULT_STALE_CLAIM_THRESHOLD = Duration.ofMinutes(30);
    /** {@code sweeper.interval}: 30 seconds. */
    public static final Duration DEFAULT_SWEEPER_INTERVAL = Duration.ofSeconds(30);
    /** {@code sweeper.job_retention}: 90 days. */
    public static final Duration DEFAULT_JOB_RETENTION = Duration.ofDays(90);
    /** {@code health_sync.interval}: 15 minutes. */
    public static final Duration DEFAULT_HEALTH_SYNC_INTERVAL = Duration.ofMinutes(15);
    /** {@code health_sync.concurrency}: 10 tables. */
    public static final int DEFAULT_HEALTH_SYNC_CONCURRENCY = 10;
    /** {@code health_sync.manifest_concurrency}: 4 manifests. */
    public static final int DEFAULT_HEALTH_SYNC_MANIFEST_CONCURRENCY = 4;
    /** {@code health_sync.databases}: empty, meaning every database. */
    public static final Set<String> DEFAULT_HEALTH_SYNC_DATABASES = Set.of();
    /** {@code health_sync.history_interval}: 24 hours. */
    public static final Duration DEFAULT_HEALTH_HISTORY_INTERVAL = HealthHistoryRule.DEFAULT_INTERVAL;
    /** {@code orchestrator.interval}: 2 hours. */
    public static final Duration DEFAULT_ORCHESTRATOR_INTERVAL = Duration.ofHours(2);
    /** {@code orchestrator.include_databases}: empty, so the orchestrator schedules nothing until told. */
    public static final Set<String> DEFAULT_ORCHESTRATOR_INCLUDE_DATABASES = Set.of();
    /** {@code orchestrator.maintenance_cadence}: 6 hours. */
    public static final Duration DEFAULT_MAINTENANCE_CADENCE = Duration.ofHours(6);
    /** {@code orchestrator.maintenance_mode}: {@link MaintenanceMode#OPT_IN}. */
    public static final MaintenanceMode DEFAULT_MAINTENANCE_MODE = MaintenanceMode.OPT_IN;
    /** {@code worker.lock_ttl}: 60 minutes. */
    public static final Duration DEFAULT_LOCK_TTL = Duration.ofMinutes(60);
    /** {@code worker.heartbeat_interval}: 30 seconds. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
    /** {@code leader.lease_ttl}: 60 seconds. */
    public static final Duration DEFAULT_LEADER_LEASE_TTL = Duration.ofSeconds(60);
    /** {@code worker.retry_backoff_base}: 1 minute. */
    public static final Duration DEFAULT_RETRY_BACKOFF_BASE = Duration.ofMinutes(1);
    /** {@code worker.retry_backoff_cap}: 1 hour. */
    public static final Duration DEFAULT_RETRY_BACKOFF_CAP = Duration.ofHours(1);
    /** {@code worker.retry_jitter}: 0.2, a delay shortened by up to a fifth. */
    public static final double DEFAULT_RETRY_JITTER = 0.2;
    /** {@code worker.max_attempts}: 3 claims. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** {@code worker.outage_backoff_max}: 30 seconds. */
    public static final Duration DEFAULT_OUTAGE_BACKOFF_MAX = Duration.ofSeconds(30);
    /** {@code api.retry_after}: 30 seconds. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);
    /** {@code api.drain_mode}: off. */
    public static final boolean DEFAULT_DRAIN_MODE = false;
    /** {@code api.max_concurrent_listings}: 4 table listings at once per process. */
    public static final int DEFAULT_MAX_CONCURRENT_LISTINGS = 4;
    /** {@code executor.spark_enabled}: off, so every table runs on the local executor. */
    public static final boolean DEFAULT_EXECUTOR_SPARK_ENABLED = false;
    /** {@code executor.default}: {@link ExecutorMode#AUTO}. */
    public static final ExecutorMode DEFAULT_EXECUTOR_MODE = ExecutorMode.AUTO;
    /** {@code executor.spark_threshold_bytes}: 1 TiB (1099511627776 bytes). */
    public static final long DEFAULT_EXECUTOR_SPARK_THRESHOLD_BYTES = 1L << 40;
    /** {@code metrics.table_tags}: off, so the rewrite counters carry no {@code table} tag (bounded series). */
    public static final boolean DEFAULT_METRICS_TABLE_TAGS = false;

    private static final SnowpackConfig DEFAULTS = new Builder().build();

    private final Duration staleClaimThreshold;
    private final Duration sweeperInterval;
    private final Duration jobRetention;
    private final Duration healthSyncInterval;
    private final int healthSyncConcurrency;
    private final Duration healthHistoryInterval;
    private final int healthSyncManifestConcurrency;
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
    private final Duration outageBackoffMax;
    private final Duration retryAfter;
    private final int maxConcurrentListings;
    private final boolean drainMode;
    private final boolean executorSparkEnabled;
    private final ExecutorMode executorDefault;
    private final long executorSparkThresholdBytes;
    private final boolean metricsTableTags;
    private final TablePropertyDefaults tableDefaults;

    private SnowpackConfig(Builder b) {
        staleClaimThreshold = positive(Setting.STALE_CLAIM_THRESHOLD, b.staleClaimThreshold);
        sweeperInterval = positive(Setting.SWEEPER_INTERVAL, b.sweeperInterval);
        jobRetention = positive(Setting.JOB_RETENTION, b.jobRetention);
        healthSyncInterval = zeroOrPositive(Setting.HEALTH_SYNC_INTERVAL, b.healthSyncInterval);
        healthSyncConcurrency = atLeast(Setting.HEALTH_SYNC_CONCURRENCY, b.healthSyncConcurrency, 1);
        healthHistoryInterval = positive(Setting.HEALTH_HISTORY_INTERVAL, b.healthHistoryInterval);
        healthSyncManifestConcurrency =
                atLeast(Setting.HEALTH_SYNC_MANIFEST_CONCURRENCY, b.healthSyncManifestConcurrency, 1);
        healthSyncDatabases = databaseNames(Setting.HEALTH_SYNC_DATABASES, b.healthSyncDatabases);
        orchestratorInterval = positive(Setting.ORCHESTRATOR_INTERVAL, b.orchestratorInterval);
        orchestratorIncludeDatabases =
                databaseNames(Setting.ORCHESTRATOR_INCLUDE_DATABASES, b.orchestratorIncludeDatabases);
        maintenanceCadence = positive(Setting.MAINTENANCE_CADENCE, b.maintenanceCadence);
        maintenanceMode = present(Setting.MAINTENANCE_MODE, b.maintenanceMode, "opt_in or opt_out");
        lockTtl = positive(Setting.LOCK_TTL, b.lockTtl);
        heartbeatInterval = positive(Setting.HEARTBEAT_INTERVAL, b.heartbeatInterval);
        leaderLeaseTtl = positive(Setting.LEADER_LEASE_TTL, b.leaderLeaseTtl);
        retryBackoffBase = positive(Setting.RETRY_BACKOFF_BASE, b.retryBackoffBase);
        retryBackoffCap = positive(Setting.RETRY_BACKOFF_CAP, b.retryBackoffCap);
        retryJitter = fraction(Setting.RETRY_JITTER, b.retryJitter);
        maxAttempts = atLeast(Setting.MAX_ATTEMPTS, b.maxAttempts, 1);
        outageBackoffMax = positive(Setting.OUTAGE_BACKOFF_MAX, b.outageBackoffMax);
        retryAfter = wholeSeconds(Setting.RETRY_AFTER, b.retryAfter);
        maxConcurrentListings = atLeast(Setting.MAX_CONCURRENT_LISTINGS, b.maxConcurrentListings, 1);
        drainMode = b.drainMode;
        executorSparkEnabled = b.executorSparkEnabled;
        executorDefault = present(Setting.EXECUTOR_DEFAULT, b.executorDefault, ExecutorMode.WIRE_NAMES);
        executorSparkThresholdBytes =
                atLeast(Setting.EXECUTOR_SPARK_THRESHOLD_BYTES, b.executorSparkThresholdBytes, 1L);
        metricsTableTags = b.metricsTableTags;
        tableDefaults = b.tableDefaults.build();
        ConfigRules.check(this);
    }

    /** Every {@code DEFAULT_*} value (and {@link TablePropertyDefaults#defaults()}). */
    public static SnowpackConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from every {@code DEFAULT_*} value. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values: {@code toBuilder().build()} equals this configuration. */
    public Builder toBuilder() {
        return new Builder()
                .staleClaimThreshold(staleClaimThreshold)
                .sweeperInterval(sweeperInterval)
                .jobRetention(jobRetention)
                .healthSyncInterval(healthSyncInterval)
                .healthSyncConcurrency(healthSyncConcurrency)
                .healthHistoryInterval(healthHistoryInterval)
                .healthSyncManifestConcurrency(healthSyncManifestConcurrency)
                .healthSyncDatabases(healthSyncDatabases)
                .orchestratorInterval(orchestratorInterval)
                .orchestratorIncludeDatabases(orchestratorIncludeDatabases)
                .maintenanceCadence(maintenanceCadence)
                .maintenanceMode(maintenanceMode)
                .lockTtl(lockTtl)
                .heartbeatInterval(heartbeatInterval)
                .leaderLeaseTtl(leaderLeaseTtl)
                .retryBackoffBase(retryBackoffBase)
                .retryBackoffCap(retryBackoffCap)
                .retryJitter(retryJitter)
                .maxAttempts(maxAttempts)
                .outageBackoffMax(outageBackoffMax)
                .retryAfter(retryAfter)
                .maxConcurrentListings(maxConcurrentListings)
                .drainMode(drainMode)
                .executorSparkEnabled(executorSparkEnabled)
                .executorDefault(executorDefault)
                .executorSparkThresholdBytes(executorSparkThresholdBytes)
                .metricsTableTags(metricsTableTags)
                .tableDefaults(tableDefaults);
    }

    /**
     * The configuration this process's environment describes; see {@link #fromEnvironment(Map)}.
     *
     * @throws InvalidConfigurationException naming the first bad key
     */
    public static SnowpackConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The defaults, overridden by every {@code SNOWPACK_*} variable that names a setting: {@code SNOWPACK_} plus the
     * property key upper-cased with {@code .} replaced by {@code _} (e.g. {@code SNOWPACK_HEALTH_SYNC_CONCURRENCY}),
     * or a documented alias ({@code SNOWPACK_DRAIN_MODE}). Other variables, {@code SNOWPACK_*} or not, are ignored:
     * host applications read their own (e.g. {@code SNOWPACK_HTTP_PORT}).
     *
     * @throws InvalidConfigurationException naming the first bad key, or a key whose name and alias disagree
     */
    public static SnowpackConfig fromEnvironment(Map<String, String> environment) {
        return ConfigSources.fromEnvironment(environment);
    }

    /**
     * The defaults, overridden by {@code properties} whose keys are property keys such as
     * {@code health_sync.concurrency}, optionally prefixed {@code snowpack.}. Strict: every key must name a
     * setting, once.
     *
     * @throws InvalidConfigurationException naming the first unknown or bad key (with close known keys, if any)
     */
    public static SnowpackConfig fromProperties(Map<String, String> properties) {
        return ConfigSources.fromProperties(properties);
    }

    /**
     * A Markdown table documenting every setting ({@code key | environment variable | default | meaning}), one
     * row per key in a stable order, generated from the same table that parsing uses.
     */
    public static String describeSettings() {
        return Setting.markdownTable(DEFAULTS);
    }

    /** Claims not heartbeated for this long go back to the queue; positive. */
    public Duration staleClaimThreshold() { return staleClaimThreshold; }

    /** How often the sweeper runs on the leader; positive. */
    public Duration sweeperInterval() { return sweeperInterval; }

    /** Terminal jobs and health snapshots older than this are pruned; positive. */
    public Duration jobRetention() { return jobRetention; }

    /** How often health sync runs; {@link Duration#ZERO} when it is disabled, never negative. */
    public Duration healthSyncInterval() { return healthSyncInterval; }

    /** Tables health sync measures at once; at least 1. */
    public int healthSyncConcurrency() { return healthSyncConcurrency; }

    /**
     * The longest gap between two health-history entries of an unchanged table (a changed one gets an entry at
     * once); positive. Backends take it as a {@link HealthHistoryRule}: {@link #healthHistoryRule()}.
     */
    public Duration healthHistoryInterval() { return healthHistoryInterval; }

    /** {@link #healthHistoryInterval()} as the rule a backend applies on every table-cache upsert. */
    public HealthHistoryRule healthHistoryRule() { return new HealthHistoryRule(healthHistoryInterval); }

    /**
     * Manifests read at once, over every table being measured, when a table's health needs more than one; at
     * least 1 (1 reads each table's manifests one after another on its own thread).
     */
    public int healthSyncManifestConcurrency() { return healthSyncManifestConcurrency; }

    /** Databases health sync covers, sorted and unmodifiable; empty means every database of the catalog. */
    public Set<String> healthSyncDatabases() { return healthSyncDatabases; }

    /** How often the orchestrator runs on the leader; positive. */
    public Duration orchestratorInterval() { return orchestratorInterval; }

    /**
     * Databases the orchestrator may schedule, sorted and unmodifiable; each is also in
     * {@link #healthSyncDatabases()} unless that is empty.
     */
    public Set<String> orchestratorIncludeDatabases() { return orchestratorIncludeDatabases; }

    /** Tables maintained more recently than this are skipped by the orchestrator; positive. */
    public Duration maintenanceCadence() { return maintenanceCadence; }

    /** Which tables of an allowed database the orchestrator maintains; never null. */
    public MaintenanceMode maintenanceMode() { return maintenanceMode; }

    /** Lease of a table lock, renewed by heartbeats; longer than {@link #staleClaimThreshold()}. */
    public Duration lockTtl() { return lockTtl; }

    /** How often a worker extends its claim and lock; shorter than the stale threshold and the lock TTL. */
    public Duration heartbeatInterval() { return heartbeatInterval; }

    /** Lease of the scheduler leadership; positive. */
    public Duration leaderLeaseTtl() { return leaderLeaseTtl; }

    /** First retry delay after a transient failure; positive. */
    public Duration retryBackoffBase() { return retryBackoffBase; }

    /** Longest retry delay; at least {@link #retryBackoffBase()}. */
    public Duration retryBackoffCap() { return retryBackoffCap; }

    /** Largest fraction a retry delay is randomly shortened by; from 0 to 1. */
    public double retryJitter() { return retryJitter; }

    /** Claims a job gets before it fails for good; at least 1. */
    public int maxAttempts() { return maxAttempts; }

    /**
     * Longest pause in claiming while the catalog or object store cannot be reached (the pause starts at one
     * second and doubles), and longest wait of a job postponed for such an outage; positive.
     */
    public Duration outageBackoffMax() { return outageBackoffMax; }

    /** The {@code Retry-After} the API sends while a job is pending or running; whole seconds, at least 1. */
    public Duration retryAfter() { return retryAfter; }

    /** Table listings ({@code GET /tables}) one API process serves at once; more get 429. At least 1. */
    public int maxConcurrentListings() { return maxConcurrentListings; }

    /** Whether drain mode is forced on for this process, whatever the shared setting says. */
    public boolean drainMode() { return drainMode; }

    /** Whether this deployment has a Spark executor; when {@code false} every table runs on the local one. */
    public boolean executorSparkEnabled() { return executorSparkEnabled; }

    /** The executor of a table that does not set {@code snowpack.executor}; never null. */
    public ExecutorMode executorDefault() { return executorDefault; }

    /**
     * Under {@link ExecutorMode#AUTO}, tables whose data and delete files add up to at least this many bytes go to
     * Spark; at least 1.
     */
    public long executorSparkThresholdBytes() { return executorSparkThresholdBytes; }

    /**
     * Whether the rewrite counters ({@code snowpack.rewrite.files}, {@code snowpack.rewrite.bytes}) carry a
     * {@code table} tag: one series per table and action. Off by default, which keeps the number of series
     * independent of the number of tables.
     */
    public boolean metricsTableTags() { return metricsTableTags; }

    /** Global defaults of the {@code snowpack.*} table properties; never null. */
    public TablePropertyDefaults tableDefaults() { return tableDefaults; }

    /**
     * Every effective setting as {@code key=value} in {@link #describeSettings()} order, values written as the
     * parsers accept them; for logging the configuration once at start-up. Holds no secrets.
     */
    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(", ", "SnowpackConfig{", "}");
        for (Setting setting : Setting.values()) {
            joiner.add(setting.key() + "=" + setting.read(this));
        }
        return joiner.toString();
    }

    /** Equal when every setting is equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SnowpackConfig && toString().equals(other.toString());
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /**
     * Builds a {@link SnowpackConfig}. Every value starts at its default; setters only record, and {@link #build()}
     * checks everything, so the order of calls never matters.
     */
    public static final class Builder {
        private Duration staleClaimThreshold = DEFAULT_STALE_CLAIM_THRESHOLD;
        private Duration sweeperInterval = DEFAULT_SWEEPER_INTERVAL;
        private Duration jobRetention = DEFAULT_JOB_RETENTION;
        private Duration healthSyncInterval = DEFAULT_HEALTH_SYNC_INTERVAL;
        private int healthSyncConcurrency = DEFAULT_HEALTH_SYNC_CONCURRENCY;
        private Duration healthHistoryInterval = DEFAULT_HEALTH_HISTORY_INTERVAL;
        private int healthSyncManifestConcurrency = DEFAULT_HEALTH_SYNC_MANIFEST_CONCURRENCY;
        private Collection<String> healthSyncDatabases = DEFAULT_HEALTH_SYNC_DATABASES;
        private Duration orchestratorInterval = DEFAULT_ORCHESTRATOR_INTERVAL;
        private Collection<String> orchestratorIncludeDatabases = DEFAULT_ORCHESTRATOR_INCLUDE_DATABASES;
        private Duration maintenanceCadence = DEFAULT_MAINTENANCE_CADENCE;
        private MaintenanceMode maintenanceMode = DEFAULT_MAINTENANCE_MODE;
        private Duration lockTtl = DEFAULT_LOCK_TTL;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration leaderLeaseTtl = DEFAULT_LEADER_LEASE_TTL;
        private Duration retryBackoffBase = DEFAULT_RETRY_BACKOFF_BASE;
        private Duration retryBackoffCap = DEFAULT_RETRY_BACKOFF_CAP;
        private double retryJitter = DEFAULT_RETRY_JITTER;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration outageBackoffMax = DEFAULT_OUTAGE_BACKOFF_MAX;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private int maxConcurrentListings = DEFAULT_MAX_CONCURRENT_LISTINGS;
        private boolean drainMode = DEFAULT_DRAIN_MODE;
        private boolean executorSparkEnabled = DEFAULT_EXECUTOR_SPARK_ENABLED;
        private ExecutorMode executorDefault = DEFAULT_EXECUTOR_MODE;
        private long executorSparkThresholdBytes = DEFAULT_EXECUTOR_SPARK_THRESHOLD_BYTES;
        private boolean metricsTableTags = DEFAULT_METRICS_TABLE_TAGS;
        private TablePropertyDefaults.Builder tableDefaults = TablePropertyDefaults.builder();

        private Builder() {
        }

        /** {@code sweeper.stale_claim_threshold}; must be positive. */
        public Builder staleClaimThreshold(Duration value) { staleClaimThreshold = value; return this; }

        /** {@code sweeper.interval}; must be positive. */
        public Builder sweeperInterval(Duration value) { sweeperInterval = value; return this; }

        /** {@code sweeper.job_retention}; must be positive. */
        public Builder jobRetention(Duration value) { jobRetention = value; return this; }

        /** {@code health_sync.interval}; zero disables health sync, negative is refused. */
        public Builder healthSyncInterval(Duration value) { healthSyncInterval = value; return this; }

        /** {@code health_sync.concurrency}; must be at least 1. */
        public Builder healthSyncConcurrency(int value) { healthSyncConcurrency = value; return this; }

        /** {@code health_sync.history_interval}; must be positive. */
        public Builder healthHistoryInterval(Duration value) { healthHistoryInterval = value; return this; }

        /** {@code health_sync.manifest_concurrency}; must be at least 1. */
        public Builder healthSyncManifestConcurrency(int value) {
            healthSyncManifestConcurrency = value;
            return this;
        }

        /** {@code health_sync.databases} (copied); valid database names, empty for all. */
        public Builder healthSyncDatabases(Collection<String> value) {
            healthSyncDatabases = copy(value);
            return this;
        }

        /** {@code orchestrator.interval}; must be positive. */
        public Builder orchestratorInterval(Duration value) { orchestratorInterval = value; return this; }

        /** {@code orchestrator.include_databases} (copied); valid names, each in a non-empty health-sync list. */
        public Builder orchestratorIncludeDatabases(Collection<String> value) {
            orchestratorIncludeDatabases = copy(value);
            return this;
        }

        /** {@code orchestrator.maintenance_cadence}; must be positive. */
        public Builder maintenanceCadence(Duration value) { maintenanceCadence = value; return this; }

        /** {@code orchestrator.maintenance_mode}; must not be null. */
        public Builder maintenanceMode(MaintenanceMode value) { maintenanceMode = value; return this; }

        /** {@code worker.lock_ttl}; must be longer than the stale-claim threshold. */
        public Builder lockTtl(Duration value) { lockTtl = value; return this; }

        /** {@code worker.heartbeat_interval}; must be shorter than the stale-claim threshold and the lock TTL. */
        public Builder heartbeatInterval(Duration value) { heartbeatInterval = value; return this; }

        /** {@code leader.lease_ttl}; must be positive. */
        public Builder leaderLeaseTtl(Duration value) { leaderLeaseTtl = value; return this; }

        /** {@code worker.retry_backoff_base}; must be positive. */
        public Builder retryBackoffBase(Duration value) { retryBackoffBase = value; return this; }

        /** {@code worker.retry_backoff_cap}; must be at least the base. */
        public Builder retryBackoffCap(Duration value) { retryBackoffCap = value; return this; }

        /** {@code worker.retry_jitter}; must be from 0 to 1. */
        public Builder retryJitter(double value) { retryJitter = value; return this; }

        /** {@code worker.max_attempts}; must be at least 1. */
        public Builder maxAttempts(int value) { maxAttempts = value; return this; }

        /** {@code worker.outage_backoff_max}; must be positive. */
        public Builder outageBackoffMax(Duration value) { outageBackoffMax = value; return this; }

        /** {@code api.retry_after}; must be whole seconds, at least 1. */
        public Builder retryAfter(Duration value) { retryAfter = value; return this; }

        /** {@code api.max_concurrent_listings}; must be at least 1. */
        public Builder maxConcurrentListings(int value) { maxConcurrentListings = value; return this; }

        /** {@code api.drain_mode}. */
        public Builder drainMode(boolean value) { drainMode = value; return this; }

        /** {@code executor.spark_enabled}. */
        public Builder executorSparkEnabled(boolean value) { executorSparkEnabled = value; return this; }

        /** {@code executor.default}; must not be null. */
        public Builder executorDefault(ExecutorMode value) { executorDefault = value; return this; }

        /** {@code executor.spark_threshold_bytes}; must be at least 1. */
        public Builder executorSparkThresholdBytes(long value) { executorSparkThresholdBytes = value; return this; }

        /** {@code metrics.table_tags}: tag the rewrite counters with {@code table}. */
        public Builder metricsTableTags(boolean value) { metricsTableTags = value; return this; }

        /** Replaces every table-property default at once. */
        public Builder tableDefaults(TablePropertyDefaults value) {
            tableDefaults = Objects.requireNonNull(value, "tableDefaults").toBuilder();
            return this;
        }

        /** The table-property defaults being built, so one of them can be set. */
        TablePropertyDefaults.Builder tableDefaultsBuilder() {
            return tableDefaults;
        }

        /**
         * The configuration these values describe.
         *
         * @throws InvalidConfigurationException naming the first key whose value is out of range or contradicts
         *         another setting
         */
        public SnowpackConfig build() {
            return new SnowpackConfig(this);
        }

        private static Collection<String> copy(Collection<String> value) {
            return value == null ? null : new ArrayList<>(value);
        }
    }
}
