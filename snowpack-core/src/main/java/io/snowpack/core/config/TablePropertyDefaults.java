package io.snowpack.core.config;

import static io.snowpack.core.config.ValueChecks.atLeast;
import static io.snowpack.core.config.ValueChecks.positiveFraction;

/**
 * Global defaults of the {@code snowpack.*} table properties (DESIGN §5): a table's own property wins, then (where
 * one exists) the matching Iceberg property, then these values. Immutable, and valid once constructed: the
 * constructor throws an {@link io.snowpack.core.InvalidConfigurationException} naming the {@code defaults.*} key
 * of the first value out of range.
 *
 * @param targetFileSizeBytes             compaction target in bytes, at least 1
 * @param minInputFiles                   fewest small files worth a compaction, at least 1
 * @param deleteFileThreshold             delete files that make a table need maintenance, at least 1
 * @param rewriteDataDeleteFileThreshold  delete files against one data file that get it rewritten, at least 1
 * @param rewriteDataDeleteRatioThreshold share of deleted rows that gets a data file rewritten, in (0, 1]
 * @param partialProgressMaxCommits       commits one compaction may split into, at least 1
 * @param rewriteDataRewriteAll           rewrite every data file, not only small ones
 * @param maxSnapshotAgeDays              snapshots older than this many days are expired, at least 1
 * @param minSnapshotsToKeep              snapshots always kept whatever their age, at least 1
 * @param orphanFileAgeDays               unreferenced files younger than this many days are never deleted; at least 1
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

    /** 512 MiB. */
    public static final long DEFAULT_TARGET_FILE_SIZE_BYTES = 512L * 1024 * 1024;
    /** 5 files. */
    public static final int DEFAULT_MIN_INPUT_FILES = 5;
    /** 5 delete files. */
    public static final int DEFAULT_DELETE_FILE_THRESHOLD = 5;
    /** 2 delete files against one data file. */
    public static final int DEFAULT_REWRITE_DATA_DELETE_FILE_THRESHOLD = 2;
    /** 10 % of a data file's rows deleted. */
    public static final double DEFAULT_REWRITE_DATA_DELETE_RATIO_THRESHOLD = 0.10;
    /** 10 commits. */
    public static final int DEFAULT_PARTIAL_PROGRESS_MAX_COMMITS = 10;
    /** Only small files are rewritten. */
    public static final boolean DEFAULT_REWRITE_DATA_REWRITE_ALL = false;
    /** 5 days. */
    public static final int DEFAULT_MAX_SNAPSHOT_AGE_DAYS = 5;
    /** 1 snapshot. */
    public static final int DEFAULT_MIN_SNAPSHOTS_TO_KEEP = 1;
    /** 3 days; never less than 1. */
    public static final int DEFAULT_ORPHAN_FILE_AGE_DAYS = 3;

    private static final TablePropertyDefaults DEFAULTS = new Builder().build();

    /**
     * Checks every value.
     *
     * @throws io.snowpack.core.InvalidConfigurationException naming the first value out of range
     */
    public TablePropertyDefaults {
        atLeast(Setting.TARGET_FILE_SIZE_BYTES, targetFileSizeBytes, 1L);
        atLeast(Setting.MIN_INPUT_FILES, minInputFiles, 1);
        atLeast(Setting.DELETE_FILE_THRESHOLD, deleteFileThreshold, 1);
        atLeast(Setting.REWRITE_DATA_DELETE_FILE_THRESHOLD, rewriteDataDeleteFileThreshold, 1);
        positiveFraction(Setting.REWRITE_DATA_DELETE_RATIO_THRESHOLD, rewriteDataDeleteRatioThreshold);
        atLeast(Setting.PARTIAL_PROGRESS_MAX_COMMITS, partialProgressMaxCommits, 1);
        atLeast(Setting.MAX_SNAPSHOT_AGE_DAYS, maxSnapshotAgeDays, 1);
        atLeast(Setting.MIN_SNAPSHOTS_TO_KEEP, minSnapshotsToKeep, 1);
        atLeast(Setting.ORPHAN_FILE_AGE_DAYS, orphanFileAgeDays, 1);
    }

    /** Every {@code DEFAULT_*} value. */
    public static TablePropertyDefaults defaults() {
        return DEFAULTS;
    }

    /** A builder starting from every {@code DEFAULT_*} value. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values, for changing a few of them. */
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

    /**
     * Builds {@link TablePropertyDefaults}. Setters only record; {@link #build()} checks every value and refuses
     * the first one out of range.
     */
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

        /** Compaction target in bytes; at least 1. */
        public Builder targetFileSizeBytes(long value) {
            targetFileSizeBytes = value;
            return this;
        }

        /** Fewest small files worth a compaction; at least 1. */
        public Builder minInputFiles(int value) {
            minInputFiles = value;
            return this;
        }

        /** Delete files that make a table need maintenance; at least 1. */
        public Builder deleteFileThreshold(int value) {
            deleteFileThreshold = value;
            return this;
        }

        /** Delete files against one data file that get it rewritten; at least 1. */
        public Builder rewriteDataDeleteFileThreshold(int value) {
            rewriteDataDeleteFileThreshold = value;
            return this;
        }

        /** Share of deleted rows that gets a data file rewritten; above 0 and at most 1. */
        public Builder rewriteDataDeleteRatioThreshold(double value) {
            rewriteDataDeleteRatioThreshold = value;
            return this;
        }

        /** Commits one compaction may split into; at least 1. */
        public Builder partialProgressMaxCommits(int value) {
            partialProgressMaxCommits = value;
            return this;
        }

        /** Whether compaction rewrites every data file, not only small ones. */
        public Builder rewriteDataRewriteAll(boolean value) {
            rewriteDataRewriteAll = value;
            return this;
        }

        /** Snapshots older than this many days are expired; at least 1. */
        public Builder maxSnapshotAgeDays(int value) {
            maxSnapshotAgeDays = value;
            return this;
        }

        /** Snapshots always kept, whatever their age; at least 1. */
        public Builder minSnapshotsToKeep(int value) {
            minSnapshotsToKeep = value;
            return this;
        }

        /** Unreferenced files younger than this many days are never deleted; at least 1. */
        public Builder orphanFileAgeDays(int value) {
            orphanFileAgeDays = value;
            return this;
        }

        /**
         * The defaults these values describe.
         *
         * @throws io.snowpack.core.InvalidConfigurationException naming the first value out of range
         */
        public TablePropertyDefaults build() {
            return new TablePropertyDefaults(targetFileSizeBytes, minInputFiles, deleteFileThreshold,
                    rewriteDataDeleteFileThreshold, rewriteDataDeleteRatioThreshold, partialProgressMaxCommits,
                    rewriteDataRewriteAll, maxSnapshotAgeDays, minSnapshotsToKeep, orphanFileAgeDays);
        }
    }
}
