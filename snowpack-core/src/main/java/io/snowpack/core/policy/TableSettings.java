package io.snowpack.core.policy;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.config.TablePropertyDefaults;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The settings the policy applies to one table: each {@code snowpack.*} property when set and valid, else the
 * matching Iceberg property where one exists, else the configured default.
 */
record TableSettings(
        Flag maintenanceEnabled,
        Flag compactionSkip,
        Duration cadence,
        long minInputFiles,
        long deleteFileThreshold,
        long rewriteDataDeleteFileThreshold,
        Duration maxSnapshotAge,
        long minSnapshotsToKeep) {

    /** Reads {@code properties}; every bad value adds a reason to {@code reasons}. */
    static TableSettings read(Map<String, String> properties, SnowpackConfig config, List<String> reasons) {
        PropertyReader reader = new PropertyReader(properties, reasons);
        TablePropertyDefaults defaults = config.tableDefaults();
        return new TableSettings(
                Flag.of(properties.get(TableProperties.MAINTENANCE_ENABLED)),
                Flag.of(properties.get(TableProperties.COMPACTION_SKIP)),
                reader.duration(TableProperties.MAINTENANCE_CADENCE_HOURS, ChronoUnit.HOURS,
                        config::maintenanceCadence),
                reader.wholeNumber(TableProperties.MIN_INPUT_FILES, 1, () -> (long) defaults.minInputFiles()),
                reader.wholeNumber(TableProperties.DELETE_FILE_THRESHOLD, 1,
                        () -> (long) defaults.deleteFileThreshold()),
                reader.wholeNumber(TableProperties.REWRITE_DATA_DELETE_FILE_THRESHOLD, 1,
                        () -> (long) defaults.rewriteDataDeleteFileThreshold()),
                reader.duration(TableProperties.MAX_SNAPSHOT_AGE_DAYS, ChronoUnit.DAYS,
                        () -> reader.duration(TableProperties.ICEBERG_MAX_SNAPSHOT_AGE_MS, ChronoUnit.MILLIS,
                                () -> Duration.ofDays(defaults.maxSnapshotAgeDays()))),
                reader.wholeNumber(TableProperties.MIN_SNAPSHOTS_TO_KEEP, 1,
                        () -> reader.wholeNumber(TableProperties.ICEBERG_MIN_SNAPSHOTS_TO_KEEP, 1,
                                () -> (long) defaults.minSnapshotsToKeep())));
    }
}
