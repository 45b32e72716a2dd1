package io.snowpack.core.policy;

import io.snowpack.core.model.TableHealth;
import java.util.Set;

/**
 * The {@code snowpack.*} table properties data engineers set with {@code ALTER TABLE … SET TBLPROPERTIES}
 * (DESIGN §5 "Table properties"), and the Iceberg properties some of them fall back to. Every key here is known:
 * a {@code snowpack.*} key outside {@link #KNOWN} is reported in the table's health.
 */
public final class TableProperties {
    /** {@code true} opts a table in (opt_in mode); {@code false} opts it out (opt_out mode). */
    public static final String MAINTENANCE_ENABLED = TableHealth.MAINTENANCE_ENABLED_PROPERTY;
    /** {@code true} excludes the table from automatic maintenance, whatever else is set. */
    public static final String COMPACTION_SKIP = "snowpack.compaction_skip";
    /** Whole hours, at least 1: the table is not maintained again sooner. */
    public static final String MAINTENANCE_CADENCE_HOURS = "snowpack.maintenance_cadence_hours";
    /** Compaction target in bytes. */
    public static final String TARGET_FILE_SIZE_BYTES = "snowpack.target_file_size_bytes";
    /** Fewest small files that call for {@code rewrite_data_files}. */
    public static final String MIN_INPUT_FILES = "snowpack.min_input_files";
    /** Position-delete files that call for {@code rewrite_position_delete_files}. */
    public static final String DELETE_FILE_THRESHOLD = "snowpack.delete_file_threshold";
    /** Delete files (position + equality) that call for {@code rewrite_data_files}. */
    public static final String REWRITE_DATA_DELETE_FILE_THRESHOLD = "snowpack.rewrite_data_delete_file_threshold";
    /** Share of deleted rows that gets a data file rewritten. */
    public static final String REWRITE_DATA_DELETE_RATIO_THRESHOLD = "snowpack.rewrite_data_delete_ratio_threshold";
    /** Commits one compaction may split into. */
    public static final String PARTIAL_PROGRESS_MAX_COMMITS = "snowpack.partial_progress_max_commits";
    /** Whether compaction rewrites every data file, not only small ones. */
    public static final String REWRITE_DATA_REWRITE_ALL = "snowpack.rewrite_data_rewrite_all";
    /** Snapshots older than this many days are expired. */
    public static final String MAX_SNAPSHOT_AGE_DAYS = "snowpack.max_snapshot_age_days";
    /** Snapshots always kept, whatever their age. */
    public static final String MIN_SNAPSHOTS_TO_KEEP = "snowpack.min_snapshots_to_keep";
    /**
     * Unreferenced files younger than this many days are never deleted; the Iceberg executor never goes below its
     * floor of 3 days unless the operator lowered the floor.
     */
    public static final String ORPHAN_FILE_AGE_DAYS = "snowpack.orphan_file_age_days";
    /**
     * {@code true} reads every rewrite back after it commits and compares it with the rows before; a mismatch rolls
     * the table back (or alerts when another writer committed since). Off by default: it reads the rewritten data
     * twice.
     */
    public static final String VERIFY_AFTER_COMMIT = "snowpack.verify_after_commit";
    /**
     * {@code binpack}, {@code sort} or {@code zorder}: the order {@code rewrite_data_files} writes rows in. Unset,
     * it is {@code sort} when the table has a sort order, else {@code binpack}.
     */
    public static final String REWRITE_STRATEGY = "snowpack.rewrite_strategy";
    /** Comma-separated column names the {@code zorder} strategy interleaves; required for it. */
    public static final String ZORDER_COLUMNS = "snowpack.zorder_columns";

    /**
     * {@code local}, {@code spark} or {@code auto}: which executor maintains the table (see {@link ExecutorRouting});
     * unset, {@code executor.default} applies.
     */
    public static final String EXECUTOR = "snowpack.executor";

    /** Iceberg's own compaction target, used when {@link #TARGET_FILE_SIZE_BYTES} is not set. */
    public static final String ICEBERG_TARGET_FILE_SIZE_BYTES = "write.target-file-size-bytes";
    /** Iceberg's own snapshot age limit, used when {@link #MAX_SNAPSHOT_AGE_DAYS} is not set. */
    public static final String ICEBERG_MAX_SNAPSHOT_AGE_MS = "history.expire.max-snapshot-age-ms";
    /** Iceberg's own snapshot floor, used when {@link #MIN_SNAPSHOTS_TO_KEEP} is not set. */
    public static final String ICEBERG_MIN_SNAPSHOTS_TO_KEEP = "history.expire.min-snapshots-to-keep";

    /**
     * Iceberg's cap on its metadata log: earlier metadata files listed in the current one (default 100); the
     * policy's metadata-log rule reads it.
     */
    public static final String ICEBERG_METADATA_PREVIOUS_VERSIONS_MAX = "write.metadata.previous-versions-max";
    /**
     * Iceberg's switch for deleting metadata files that fall off the metadata log at commit (default false); it is
     * also the opt-in for {@code expire_snapshots} to delete the ones that fell off before it was set.
     */
    public static final String ICEBERG_METADATA_DELETE_AFTER_COMMIT = "write.metadata.delete-after-commit.enabled";

    /**
     * The Iceberg properties Snowpack reads: those it falls back to and those of the metadata log; a table's health
     * carries them with its {@code snowpack.*} keys.
     */
    public static final Set<String> ICEBERG_FALLBACKS = Set.of(ICEBERG_TARGET_FILE_SIZE_BYTES,
            ICEBERG_MAX_SNAPSHOT_AGE_MS, ICEBERG_MIN_SNAPSHOTS_TO_KEEP, ICEBERG_METADATA_PREVIOUS_VERSIONS_MAX,
            ICEBERG_METADATA_DELETE_AFTER_COMMIT);

    /** Every {@code snowpack.*} key Snowpack reads. */
    public static final Set<String> KNOWN = Set.of(MAINTENANCE_ENABLED, COMPACTION_SKIP, MAINTENANCE_CADENCE_HOURS,
            TARGET_FILE_SIZE_BYTES, MIN_INPUT_FILES, DELETE_FILE_THRESHOLD, REWRITE_DATA_DELETE_FILE_THRESHOLD,
            REWRITE_DATA_DELETE_RATIO_THRESHOLD, PARTIAL_PROGRESS_MAX_COMMITS, REWRITE_DATA_REWRITE_ALL,
            MAX_SNAPSHOT_AGE_DAYS, MIN_SNAPSHOTS_TO_KEEP, ORPHAN_FILE_AGE_DAYS, VERIFY_AFTER_COMMIT, REWRITE_STRATEGY,
            ZORDER_COLUMNS, EXECUTOR);

    private TableProperties() {
    }
}
