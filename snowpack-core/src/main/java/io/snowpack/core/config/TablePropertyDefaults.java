package io.snowpack.core.config;

import static io.snowpack.core.config.ConfigValues.atLeast;
import static io.snowpack.core.config.ConfigValues.invalid;

/**
 * Global defaults of the {@code snowpack.*} table properties: a table's own property wins, then (where one
 * exists) the matching Iceberg property, then these values. Always valid once built.
 *
 * @param targetFileSizeBytes             compaction target ({@code snowpack.target_file_size_bytes})
 * @param minInputFiles                   fewest files a compaction group needs ({@code snowpack.min_input_files})
 * @param deleteFileThreshold             delete files that make a table need maintenance
 * @param rewriteDataDeleteFileThreshold  delete files per data file that get it rewritten
 * @param rewriteDataDeleteRatioThreshold deleted-row ratio that gets a data file rewritten, in (0, 1]
 * @param partialProgressMaxCommits       commits one compaction may split into
 * @param rewriteDataRewriteAll           rewrite every data file, not only small ones
 * @param maxSnapshotAgeDays              snapshots older than this are expired
 * @param minSnapshotsToKeep              snapshots always kept, whatever their age
 * @param orphanFileAgeDays               unreferenced files younger than this are never deleted; at least 1
 */
public record TablePropertyDefaults(
        long targetFileSizeBytes,
        int minInputFiles,
        int deleteFileThreshold,
        int rewriteDataDeleteFileThreshold,
        double rewriteDataDeleteRatioThreshold,
        int partialProgressMaxCommits,
        boolean rewriteDataRewriteAll,
        int maxSnapshotAgeDays,
        int minSnapshotsToKeep,
        int orphanFileAgeDays) {

    public static final long DEFAULT_TARGET_FILE_SIZE_BYTES = 512L * 1024 * 1024;
    public static final int DEFAULT_MIN_INPUT_FILES = 5;
    public static final int DEFAULT_DELETE_FILE_THRESHOLD = 5;
    public static final int DEFAULT_REWRITE_DATA_DELETE_FILE_THRESHOLD = 2;
    public static final double DEFAULT_REWRITE_DATA_DELETE_RATIO_THRESHOLD = 0.10;
    public static final int DEFAULT_PARTIAL_PROGRESS_MAX_COMMITS = 10;
    public static final boolean DEFAULT_REWRITE_DATA_REWRITE_ALL = false;
    public static final int DEFAULT_MAX_SNAPSHOT_AGE_DAYS = 5;
    public static final int DEFAULT_MIN_SNAPSHOTS_TO_KEEP = 1;
    public static final int DEFAULT_ORPHAN_FILE_AGE_DAYS = 3;

    /**
     * @throws io.snowpack.core.InvalidConfigurationException naming the first value out of range
     */
    public TablePropertyDefaults {
        atLeast("defaults.target_file_size_bytes", targetFileSizeBytes, 1L);
        atLeast("defaults.min_input_files", minInputFiles, 1);
        atLeast("defaults.delete_file_threshold", deleteFileThreshold, 1);
        atLeast("defaults.rewrite_data_delete_file_threshold", rewriteDataDeleteFileThreshold, 1);
        if (!(rewriteDataDeleteRatioThreshold > 0 && rewriteDataDeleteRatioThreshold <= 1)) {
            throw invalid("defaults.rewrite_data_delete_ratio_threshold", rewriteDataDeleteRatioThreshold,
                    "a number greater than 0 and at most 1");
        }
        atLeast("defaults.partial_progress_max_commits", partialProgressMaxCommits, 1);
        atLeast("defaults.max_snapshot_age_days", maxSnapshotAgeDays, 1);
        atLeast("defaults.min_snapshots_to_keep", minSnapshotsToKeep, 1);
        atLeast("defaults.orphan_file_age_days", orphanFileAgeDays, 1);
    }

    /** Every default. */
    public static TablePropertyDefaults defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .targetFileSizeBytes(targetFileSizeBytes)
                .minInputFiles(minInputFiles)
                .deleteFileThreshold(deleteFileThreshold)
                .rewriteDataDeleteFileThreshold(rewriteDataDeleteFileThreshold)
                .rewriteDataDeleteRatioThreshold(rewriteDataDeleteRatioThreshold)
                .partialProgressMaxCommits(partialProgressMaxCommits)
                .rewriteDataRewriteAll(rewriteDataRewriteAll)
                .maxSnapshotAgeDays(maxSnapshotAgeDays)
                .minSnapshotsToKeep(minSnapshotsToKeep)
                .orphanFileAgeDays(orphanFileAgeDays);
    }

    /** Builds {@link TablePropertyDefaults}; values are checked by {@link #build()}. */
    public static final class Builder {
        private long targetFileSizeBytes = DEFAULT_TARGET_FILE_SIZE_BYTES;
        private int minInputFiles = DEFAULT_MIN_INPUT_FILES;
        private int deleteFileThreshold = DEFAULT_DELETE_FILE_THRESHOLD;
        private int rewriteDataDeleteFileThreshold = DEFAULT_REWRITE_DATA_DELETE_FILE_THRESHOLD;
        private double rewriteDataDeleteRatioThreshold = DEFAULT_REWRITE_DATA_DELETE_RATIO_THRESHOLD;
        private int partialProgressMaxCommits = DEFAULT_PARTIAL_PROGRESS_MAX_COMMITS;
        private boolean rewriteDataRewriteAll = DEFAULT_REWRITE_DATA_REWRITE_ALL;
        private int maxSnapshotAgeDays = DEFAULT_MAX_SNAPSHOT_AGE_DAYS;
        private int minSnapshotsToKeep = DEFAULT_MIN_SNAPSHOTS_TO_KEEP;
        private int orphanFileAgeDays = DEFAULT_ORPHAN_FILE_AGE_DAYS;

        private Builder() {
        }

        public Builder targetFileSizeBytes(long value) { targetFileSizeBytes = value; return this; }
        public Builder minInputFiles(int value) { minInputFiles = value; return this; }
        public Builder deleteFileThreshold(int value) { deleteFileThreshold = value; return this; }
        public Builder rewriteDataDeleteFileThreshold(int value) { rewriteDataDeleteFileThreshold = value; return this; }
        public Builder rewriteDataDeleteRatioThreshold(double value) { rewriteDataDeleteRatioThreshold = value; return this; }
        public Builder partialProgressMaxCommits(int value) { partialProgressMaxCommits = value; return this; }
        public Builder rewriteDataRewriteAll(boolean value) { rewriteDataRewriteAll = value; return this; }
        public Builder maxSnapshotAgeDays(int value) { maxSnapshotAgeDays = value; return this; }
        public Builder minSnapshotsToKeep(int value) { minSnapshotsToKeep = value; return this; }
        public Builder orphanFileAgeDays(int value) { orphanFileAgeDays = value; return this; }

        /**
         * @throws io.snowpack.core.InvalidConfigurationException naming the first value out of range
         */
        public TablePropertyDefaults build() {
            return new TablePropertyDefaults(targetFileSizeBytes, minInputFiles, deleteFileThreshold,
                    rewriteDataDeleteFileThreshold, rewriteDataDeleteRatioThreshold, partialProgressMaxCommits,
                    rewriteDataRewriteAll, maxSnapshotAgeDays, minSnapshotsToKeep, orphanFileAgeDays);
        }
    }
}
