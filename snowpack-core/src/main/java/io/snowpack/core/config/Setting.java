package io.snowpack.core.config;

import static io.snowpack.core.config.ValueParsers.formatDouble;
import static io.snowpack.core.config.ValueParsers.formatDuration;
import static io.snowpack.core.config.ValueParsers.parseBoolean;
import static io.snowpack.core.config.ValueParsers.parseDouble;
import static io.snowpack.core.config.ValueParsers.parseDuration;
import static io.snowpack.core.config.ValueParsers.parseInt;
import static io.snowpack.core.config.ValueParsers.parseList;
import static io.snowpack.core.config.ValueParsers.parseLong;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The one table of configuration keys. Each entry knows its property key, its environment variables (the name
 * derived from the key, then any aliases), how to parse text into the builder, how to read the effective value
 * back as text the parser accepts, and what it means. Parsing, environment names, validation messages,
 * {@code toString()} and the README table all come from here, so they cannot drift apart.
 */
enum Setting {
    STALE_CLAIM_THRESHOLD("sweeper.stale_claim_threshold",
            "claims not heartbeated for this long go back to the queue",
            duration(SnowpackConfig.Builder::staleClaimThreshold), c -> formatDuration(c.staleClaimThreshold())),
    SWEEPER_INTERVAL("sweeper.interval", "how often the sweeper (`reclaim_stale`) runs on the leader",
            duration(SnowpackConfig.Builder::sweeperInterval), c -> formatDuration(c.sweeperInterval())),
    JOB_RETENTION("sweeper.job_retention", "terminal jobs and health snapshots older than this are pruned",
            duration(SnowpackConfig.Builder::jobRetention), c -> formatDuration(c.jobRetention())),
    HEALTH_SYNC_INTERVAL("health_sync.interval", "how often health sync refreshes the table cache; `0` disables it",
            duration(SnowpackConfig.Builder::healthSyncInterval), c -> formatDuration(c.healthSyncInterval())),
    HEALTH_SYNC_CONCURRENCY("health_sync.concurrency", "tables measured at once by health sync; at least 1",
            (b, k, v) -> b.healthSyncConcurrency(parseInt(k, v)), c -> Integer.toString(c.healthSyncConcurrency())),
    HEALTH_SYNC_MANIFEST_CONCURRENCY("health_sync.manifest_concurrency",
            "manifests read at once, over all tables, when one table's health needs several; at least 1",
            (b, k, v) -> b.healthSyncManifestConcurrency(parseInt(k, v)),
            c -> Integer.toString(c.healthSyncManifestConcurrency())),
    HEALTH_SYNC_DATABASES("health_sync.databases", "comma-separated databases health sync covers; empty: all",
            (b, k, v) -> b.healthSyncDatabases(parseList(v)), c -> String.join(",", c.healthSyncDatabases())),
    HEALTH_HISTORY_INTERVAL("health_sync.history_interval",
            "a table's health is appended to its history when it changed, or when its newest history entry is this old",
            duration(SnowpackConfig.Builder::healthHistoryInterval), c -> formatDuration(c.healthHistoryInterval())),
    ORCHESTRATOR_INTERVAL("orchestrator.interval", "how often the orchestrator runs on the leader",
            duration(SnowpackConfig.Builder::orchestratorInterval), c -> formatDuration(c.orchestratorInterval())),
    ORCHESTRATOR_INCLUDE_DATABASES("orchestrator.include_databases",
            "comma-separated databases the orchestrator may schedule; each must also be in a non-empty "
                    + "`health_sync.databases`",
            (b, k, v) -> b.orchestratorIncludeDatabases(parseList(v)),
            c -> String.join(",", c.orchestratorIncludeDatabases())),
    MAINTENANCE_CADENCE("orchestrator.maintenance_cadence",
            "tables maintained more recently are skipped (`snowpack.maintenance_cadence_hours` overrides per table)",
            duration(SnowpackConfig.Builder::maintenanceCadence), c -> formatDuration(c.maintenanceCadence())),
    MAINTENANCE_MODE("orchestrator.maintenance_mode",
            "`opt_in`: only tables with `snowpack.maintenance_enabled=true`; `opt_out`: all unless `false`",
            (b, k, v) -> b.maintenanceMode(MaintenanceMode.parse(k, v)), c -> c.maintenanceMode().wireName()),
    LOCK_TTL("worker.lock_ttl", "lease of a table lock, renewed by heartbeats; longer than the stale threshold",
            duration(SnowpackConfig.Builder::lockTtl), c -> formatDuration(c.lockTtl())),
    HEARTBEAT_INTERVAL("worker.heartbeat_interval",
            "how often a worker extends its claim and table lock; shorter than the stale threshold and the lock TTL",
            duration(SnowpackConfig.Builder::heartbeatInterval), c -> formatDuration(c.heartbeatInterval())),
    LEADER_LEASE_TTL("leader.lease_ttl", "lease of the `scheduler` and `health_sync` leaderships; a crashed leader is replaced within its remaining lease + a third of the TTL",
            duration(SnowpackConfig.Builder::leaderLeaseTtl), c -> formatDuration(c.leaderLeaseTtl())),
    RETRY_BACKOFF_BASE("worker.retry_backoff_base", "first retry delay after a transient failure; doubles per attempt",
            duration(SnowpackConfig.Builder::retryBackoffBase), c -> formatDuration(c.retryBackoffBase())),
    RETRY_BACKOFF_CAP("worker.retry_backoff_cap", "longest retry delay; at least the base",
            duration(SnowpackConfig.Builder::retryBackoffCap), c -> formatDuration(c.retryBackoffCap())),
    RETRY_JITTER("worker.retry_jitter", "random spread of a retry delay, as a fraction of it (0 to 1)",
            (b, k, v) -> b.retryJitter(parseDouble(k, v)), c -> formatDouble(c.retryJitter())),
    MAX_ATTEMPTS("worker.max_attempts", "claims a job gets before it fails for good; at least 1",
            (b, k, v) -> b.maxAttempts(parseInt(k, v)), c -> Integer.toString(c.maxAttempts())),
    OUTAGE_BACKOFF_MAX("worker.outage_backoff_max",
            "longest pause in claiming while the catalog or object store cannot be reached (starts at 1s, doubles); "
                    + "also the longest wait of a job postponed for the outage",
            duration(SnowpackConfig.Builder::outageBackoffMax), c -> formatDuration(c.outageBackoffMax())),
    RETRY_AFTER("api.retry_after",
            "the `Retry-After` the API sends while a job is pending or running; whole seconds, at least 1s",
            duration(SnowpackConfig.Builder::retryAfter), c -> formatDuration(c.retryAfter())),
    MAX_CONCURRENT_LISTINGS("api.max_concurrent_listings",
            "table listings (`GET /tables`) one API process streams at once; more get 429 with `Retry-After`; at least 1",
            (b, k, v) -> b.maxConcurrentListings(parseInt(k, v)), c -> Integer.toString(c.maxConcurrentListings())),
    DRAIN_MODE("api.drain_mode", "forces drain mode on for this process: new jobs get 503",
            (b, k, v) -> b.drainMode(parseBoolean(k, v)), c -> Boolean.toString(c.drainMode()),
            "SNOWPACK_DRAIN_MODE"),
    EXECUTOR_SPARK_ENABLED("executor.spark_enabled",
            "whether this deployment has a Spark executor; `false`: every table runs on the local executor",
            (b, k, v) -> b.executorSparkEnabled(parseBoolean(k, v)), c -> Boolean.toString(c.executorSparkEnabled())),
    EXECUTOR_DEFAULT("executor.default",
            "`local`, `spark` or `auto`: the executor of a table that does not set `snowpack.executor`",
            (b, k, v) -> b.executorDefault(ExecutorMode.parse(k, v)), c -> c.executorDefault().wireName()),
    EXECUTOR_SPARK_THRESHOLD_BYTES("executor.spark_threshold_bytes",
            "under `auto`, tables with at least this many bytes of data and delete files go to Spark; at least 1",
            (b, k, v) -> b.executorSparkThresholdBytes(parseLong(k, v)),
            c -> Long.toString(c.executorSparkThresholdBytes())),
    METRICS_TABLE_TAGS("metrics.table_tags",
            "tag the rewrite counters (`snowpack.rewrite.files`, `snowpack.rewrite.bytes`) with `table` too: one "
                    + "series per table and action, so off by default; turn it on for catalogs of at most a few "
                    + "thousand tables",
            (b, k, v) -> b.metricsTableTags(parseBoolean(k, v)), c -> Boolean.toString(c.metricsTableTags())),
    TARGET_FILE_SIZE_BYTES("defaults.target_file_size_bytes",
            "compaction target when the table sets neither `snowpack.target_file_size_bytes` nor "
                    + "`write.target-file-size-bytes`",
            (b, k, v) -> b.tableDefaultsBuilder().targetFileSizeBytes(parseLong(k, v)),
            c -> Long.toString(c.tableDefaults().targetFileSizeBytes())),
    MIN_INPUT_FILES("defaults.min_input_files", "fewest small files worth a compaction",
            (b, k, v) -> b.tableDefaultsBuilder().minInputFiles(parseInt(k, v)),
            c -> Integer.toString(c.tableDefaults().minInputFiles())),
    DELETE_FILE_THRESHOLD("defaults.delete_file_threshold", "delete files that make a table need maintenance",
            (b, k, v) -> b.tableDefaultsBuilder().deleteFileThreshold(parseInt(k, v)),
            c -> Integer.toString(c.tableDefaults().deleteFileThreshold())),
    REWRITE_DATA_DELETE_FILE_THRESHOLD("defaults.rewrite_data_delete_file_threshold",
            "delete files against one data file that get it rewritten",
            (b, k, v) -> b.tableDefaultsBuilder().rewriteDataDeleteFileThreshold(parseInt(k, v)),
            c -> Integer.toString(c.tableDefaults().rewriteDataDeleteFileThreshold())),
    REWRITE_DATA_DELETE_RATIO_THRESHOLD("defaults.rewrite_data_delete_ratio_threshold",
            "share of deleted rows that gets a data file rewritten; above 0, at most 1",
            (b, k, v) -> b.tableDefaultsBuilder().rewriteDataDeleteRatioThreshold(parseDouble(k, v)),
            c -> formatDouble(c.tableDefaults().rewriteDataDeleteRatioThreshold())),
    PARTIAL_PROGRESS_MAX_COMMITS("defaults.partial_progress_max_commits", "commits one compaction may split into",
            (b, k, v) -> b.tableDefaultsBuilder().partialProgressMaxCommits(parseInt(k, v)),
            c -> Integer.toString(c.tableDefaults().partialProgressMaxCommits())),
    REWRITE_DATA_REWRITE_ALL("defaults.rewrite_data_rewrite_all", "rewrite every data file, not only small ones",
            (b, k, v) -> b.tableDefaultsBuilder().rewriteDataRewriteAll(parseBoolean(k, v)),
            c -> Boolean.toString(c.tableDefaults().rewriteDataRewriteAll())),
    MAX_SNAPSHOT_AGE_DAYS("defaults.max_snapshot_age_days",
            "snapshots older than this are expired (else `history.expire.max-snapshot-age-ms`)",
            (b, k, v) -> b.tableDefaultsBuilder().maxSnapshotAgeDays(parseInt(k, v)),
            c -> Integer.toString(c.tableDefaults().maxSnapshotAgeDays())),
    MIN_SNAPSHOTS_TO_KEEP("defaults.min_snapshots_to_keep",
            "snapshots always kept (else `history.expire.min-snapshots-to-keep`)",
            (b, k, v) -> b.tableDefaultsBuilder().minSnapshotsToKeep(parseInt(k, v)),
            c -> Integer.toString(c.tableDefaults().minSnapshotsToKeep())),
    ORPHAN_FILE_AGE_DAYS("defaults.orphan_file_age_days", "unreferenced files younger than this are kept; at least 1",
            (b, k, v) -> b.tableDefaultsBuilder().orphanFileAgeDays(parseInt(k, v)),
            c -> Integer.toString(c.tableDefaults().orphanFileAgeDays()));

    static final String ENVIRONMENT_PREFIX = "SNOWPACK_";

    /** Parses a raw value for {@code key} into the builder, or throws naming the key and the value. */
    @FunctionalInterface
    interface Binder {
        void bind(SnowpackConfig.Builder builder, String key, String value);
    }

    private final String key;
    private final String meaning;
    private final Binder binder;
    private final Function<SnowpackConfig, String> reader;
    private final List<String> environmentNames;

    Setting(String key, String meaning, Binder binder, Function<SnowpackConfig, String> reader, String... aliases) {
        this.key = key;
        this.meaning = meaning;
        this.binder = binder;
        this.reader = reader;
        List<String> names = new ArrayList<>();
        names.add(environmentName(key));
        names.addAll(Arrays.asList(aliases));
        this.environmentNames = List.copyOf(names);
    }

    /** {@code SNOWPACK_} + the key upper-cased with every {@code .} replaced by {@code _}. */
    static String environmentName(String key) {
        return ENVIRONMENT_PREFIX + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private static Binder duration(BiConsumer<SnowpackConfig.Builder, Duration> setter) {
        return (builder, key, value) -> setter.accept(builder, parseDuration(key, value));
    }

    /** The property key, e.g. {@code health_sync.concurrency}. */
    String key() {
        return key;
    }

    /** One line on what the setting does, in Markdown. */
    String meaning() {
        return meaning;
    }

    /** The environment variables that set this key: the derived name first, then aliases. */
    List<String> environmentNames() {
        return environmentNames;
    }

    /** Parses {@code value} into {@code builder}; range checks happen when the builder builds. */
    void bind(SnowpackConfig.Builder builder, String value) {
        binder.bind(builder, key, value);
    }

    /** The effective value in {@code config}, as text {@link #bind} accepts. */
    String read(SnowpackConfig config) {
        return reader.apply(config);
    }

    static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    /** A Markdown table of every setting (key, environment variables, default, meaning), in declaration order. */
    static String markdownTable(SnowpackConfig defaults) {
        StringBuilder table = new StringBuilder("| key | environment variable | default | meaning |\n")
                .append("|---|---|---|---|\n");
        for (Setting setting : values()) {
            String value = setting.read(defaults);
            table.append("| `").append(setting.key).append("` | `")
                    .append(String.join("`, `", setting.environmentNames)).append("` | ")
                    .append(value.isEmpty() ? "(empty)" : "`" + value + "`").append(" | ")
                    .append(setting.meaning).append(" |\n");
        }
        return table.toString();
    }
}
