package io.snowpack.core.config;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** A non-default value for every setting, written as the parsers write it back; valid together. */
final class SettingSamples {
    private SettingSamples() {
    }

    static Map<Setting, String> nonDefaultText() {
        Map<Setting, String> samples = new EnumMap<>(Setting.class);
        samples.put(Setting.STALE_CLAIM_THRESHOLD, "45m");
        samples.put(Setting.SWEEPER_INTERVAL, "10s");
        samples.put(Setting.JOB_RETENTION, "30d");
        samples.put(Setting.HEALTH_SYNC_INTERVAL, "0");
        samples.put(Setting.HEALTH_SYNC_CONCURRENCY, "4");
        samples.put(Setting.HEALTH_SYNC_MANIFEST_CONCURRENCY, "6");
        samples.put(Setting.HEALTH_SYNC_DATABASES, "a_db,b_db");
        samples.put(Setting.HEALTH_HISTORY_INTERVAL, "6h");
        samples.put(Setting.ORCHESTRATOR_INTERVAL, "1h");
        samples.put(Setting.ORCHESTRATOR_INCLUDE_DATABASES, "a_db");
        samples.put(Setting.MAINTENANCE_CADENCE, "12h");
        samples.put(Setting.MAINTENANCE_MODE, "opt_out");
        samples.put(Setting.LOCK_TTL, "2h");
        samples.put(Setting.HEARTBEAT_INTERVAL, "15s");
        samples.put(Setting.LEADER_LEASE_TTL, "90s");
        samples.put(Setting.RETRY_BACKOFF_BASE, "30s");
        samples.put(Setting.RETRY_BACKOFF_CAP, "2h");
        samples.put(Setting.RETRY_JITTER, "0.5");
        samples.put(Setting.MAX_ATTEMPTS, "7");
        samples.put(Setting.OUTAGE_BACKOFF_MAX, "2m");
        samples.put(Setting.RETRY_AFTER, "10s");
        samples.put(Setting.MAX_CONCURRENT_LISTINGS, "2");
        samples.put(Setting.DRAIN_MODE, "true");
        samples.put(Setting.EXECUTOR_SPARK_ENABLED, "true");
        samples.put(Setting.EXECUTOR_DEFAULT, "spark");
        samples.put(Setting.EXECUTOR_SPARK_THRESHOLD_BYTES, "1073741824");
        samples.put(Setting.METRICS_TABLE_TAGS, "true");
        samples.put(Setting.TARGET_FILE_SIZE_BYTES, "134217728");
        samples.put(Setting.MIN_INPUT_FILES, "3");
        samples.put(Setting.DELETE_FILE_THRESHOLD, "7");
        samples.put(Setting.REWRITE_DATA_DELETE_FILE_THRESHOLD, "4");
        samples.put(Setting.REWRITE_DATA_DELETE_RATIO_THRESHOLD, "0.25");
        samples.put(Setting.PARTIAL_PROGRESS_MAX_COMMITS, "20");
        samples.put(Setting.REWRITE_DATA_REWRITE_ALL, "true");
        samples.put(Setting.MAX_SNAPSHOT_AGE_DAYS, "9");
        samples.put(Setting.MIN_SNAPSHOTS_TO_KEEP, "2");
        samples.put(Setting.ORPHAN_FILE_AGE_DAYS, "1");
        return samples;
    }

    /** {@link #nonDefaultText()} as property keys. */
    static Map<String, String> nonDefaultProperties() {
        Map<String, String> properties = new HashMap<>();
        nonDefaultText().forEach((setting, text) -> properties.put(setting.key(), text));
        return properties;
    }

    static SnowpackConfig nonDefaultConfig() {
        return SnowpackConfig.fromProperties(nonDefaultProperties());
    }
}
