package io.snowpack.core.policy;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.config.TablePropertyDefaults;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The maintenance settings of one table, resolved from its properties: the one resolver, used by the policy (plan
 * and health reasons) and by the Iceberg executor (planning and running actions), so both always read a property
 * the same way.
 *
 * <p>Each setting is its {@code snowpack.*} property when set and usable, else the matching Iceberg property where
 * there is one ({@code write.target-file-size-bytes}, {@code history.expire.max-snapshot-age-ms},
 * {@code history.expire.min-snapshots-to-keep}), else the configured default ({@code defaults.*},
 * {@code orchestrator.maintenance_cadence}). The Iceberg property is only read when the {@code snowpack.*} one is
 * unset or unusable.
 *
 * <p>The rules, the same for a {@code snowpack.*} property and an Iceberg fallback property:
 * <ul>
 *   <li>Leading and trailing whitespace is ignored.</li>
 *   <li>A whole number is an optional {@code +} or {@code -} and ASCII digits, nothing else ({@code 2.5},
 *       {@code 1e3}, {@code 0x10}, {@code 1_000} and blank are not whole numbers). Leading zeros are allowed.</li>
 *   <li>A whole number below 1 (zero, negative), or anything that is not a whole number, is not used: the next
 *       source applies and {@link #problems()} gets
 *       {@code <key>='<value>' is not a whole number >= 1; using <used> instead}.</li>
 *   <li>A whole number above what the action can use is clamped to that maximum, whatever its size (even beyond
 *       {@code Long.MAX_VALUE}), and {@link #problems()} gets {@code <key>='<value>' is more than <max>; using <max>
 *       instead}. The maximum is {@code Integer.MAX_VALUE} (2147483647) units for every setting except the two
 *       byte and millisecond properties ({@code snowpack.target_file_size_bytes},
 *       {@code write.target-file-size-bytes}, {@code history.expire.max-snapshot-age-ms}), whose maximum is
 *       {@code Long.MAX_VALUE}. Clamping keeps what a huge value means (never compact by count, keep every
 *       snapshot); falling back to a small default would do the opposite. No value ever throws.</li>
 *   <li>A ratio ({@code snowpack.rewrite_data_delete_ratio_threshold}) is a plain decimal number in (0, 1], e.g.
 *       {@code 0.25} or {@code 1}; otherwise {@code <key>='<value>' is not a number in (0, 1]; using <used>
 *       instead}.</li>
 *   <li>A boolean is {@code true} or {@code false} in any case; otherwise {@code <key>='<value>' is neither true
 *       nor false} and: {@code snowpack.maintenance_enabled} keeps the table from being maintained,
 *       {@code snowpack.compaction_skip} skips it, the other booleans use their default.</li>
 *   <li>A rewrite strategy ({@code snowpack.rewrite_strategy}) is {@code binpack}, {@code sort} or {@code zorder}
 *       in any case; otherwise {@code <key>='<value>' is not binpack, sort or zorder; using the table default (sort
 *       when it has a sort order, else binpack) instead}.</li>
 *   <li>A list of columns ({@code snowpack.zorder_columns}) is comma-separated names, blanks around each ignored; an
 *       empty name is dropped and reported as {@code <key>='<value>' has an empty column name; using [<names>]
 *       instead}. Whether the names are columns of the table is checked when the rewrite runs, which fails as a
 *       configuration error naming them.</li>
 *   <li>An executor ({@code snowpack.executor}) is {@code local}, {@code spark} or {@code auto} in any case;
 *       otherwise {@code <key>='<value>' is not local, spark or auto; using <executor.default> instead}. Which
 *       executor runs the table is {@link ExecutorRouting}'s decision, not a setting here.</li>
 *   <li>A {@code snowpack.*} key that Snowpack does not know ({@link TableProperties#KNOWN}) is reported as
 *       {@code <key>: unknown snowpack property}.</li>
 * </ul>
 * Values are quoted in messages cut to 40 characters. Iceberg reads its own {@code history.expire.*} properties
 * too, more strictly ({@code Integer.parseInt}, no blanks): its {@code expireSnapshots()} refuses a value it cannot
 * parse, so such a value, reported here, also fails {@code expire_snapshots} as permanent; a value with blanks
 * around it is read here but refused there. The policy adds every problem to the plan's reasons; the
 * Iceberg table source lists them as the health's property problems.
 *
 * @param maintenanceEnabled             {@code snowpack.maintenance_enabled} as set
 * @param compactionSkip                 {@code snowpack.compaction_skip} as set
 * @param cadence                        the table is not maintained again sooner
 * @param targetFileSizeBytes            compaction target
 * @param minInputFiles                  fewest small files that call for {@code rewrite_data_files}
 * @param deleteFileThreshold            position-delete files that call for {@code rewrite_position_delete_files}
 * @param rewriteDataDeleteFileThreshold delete files that call for {@code rewrite_data_files}
 * @param rewriteDataDeleteRatioThreshold share of deleted rows that gets a data file rewritten
 * @param partialProgressMaxCommits      commits one compaction may split into
 * @param rewriteAll                     whether compaction rewrites every data file, not only small ones
 * @param maxSnapshotAge                 snapshots older than this are expired
 * @param minSnapshotsToKeep             snapshots always kept
 * @param orphanFileAge                  unreferenced files younger than this are never deleted
 * @param verifyAfterCommit              whether every rewrite is read back after it commits
 * @param rewriteStrategy                the order {@code rewrite_data_files} writes rows in
 * @param zorderColumns                  the columns the {@code zorder} strategy interleaves, as named
 * @param problems                       one message per unknown key or value not used as written
 */
public record TableSettings(
        Flag maintenanceEnabled,
        Flag compactionSkip,
        Duration cadence,
        long targetFileSizeBytes,
        int minInputFiles,
        int deleteFileThreshold,
        int rewriteDataDeleteFileThreshold,
        double rewriteDataDeleteRatioThreshold,
        int partialProgressMaxCommits,
        boolean rewriteAll,
        Duration maxSnapshotAge,
        int minSnapshotsToKeep,
        Duration orphanFileAge,
        boolean verifyAfterCommit,
        RewriteStrategy rewriteStrategy,
        List<String> zorderColumns,
        List<String> problems) {

    public TableSettings {
        Objects.requireNonNull(rewriteStrategy, "rewriteStrategy");
        zorderColumns = List.copyOf(zorderColumns);
        problems = List.copyOf(problems);
    }

    /** Resolves {@code properties} (all of a table's properties) under {@code config}; never throws on a value. */
    public static TableSettings resolve(Map<String, String> properties, SnowpackConfig config) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(config, "config");
        List<String> problems = new ArrayList<>();
        PropertyReader r = new PropertyReader(properties, problems);
        TablePropertyDefaults d = config.tableDefaults();
        Flag enabled = r.flag(TableProperties.MAINTENANCE_ENABLED, "the table is not maintained");
        Flag skip = r.flag(TableProperties.COMPACTION_SKIP, "the table is skipped");
        Duration cadence = r.duration(TableProperties.MAINTENANCE_CADENCE_HOURS, ChronoUnit.HOURS, Integer.MAX_VALUE,
                config::maintenanceCadence);
        long target = r.wholeNumber(TableProperties.TARGET_FILE_SIZE_BYTES, Long.MAX_VALUE,
                () -> r.wholeNumber(TableProperties.ICEBERG_TARGET_FILE_SIZE_BYTES, Long.MAX_VALUE, d::targetFileSizeBytes));
        int minInputFiles = r.count(TableProperties.MIN_INPUT_FILES, d::minInputFiles);
        int deleteFiles = r.count(TableProperties.DELETE_FILE_THRESHOLD, d::deleteFileThreshold);
        int rewriteDeleteFiles = r.count(TableProperties.REWRITE_DATA_DELETE_FILE_THRESHOLD,
                d::rewriteDataDeleteFileThreshold);
        double ratio = r.ratio(TableProperties.REWRITE_DATA_DELETE_RATIO_THRESHOLD,
                d.rewriteDataDeleteRatioThreshold());
        int commits = r.count(TableProperties.PARTIAL_PROGRESS_MAX_COMMITS, d::partialProgressMaxCommits);
        boolean rewriteAll = r.bool(TableProperties.REWRITE_DATA_REWRITE_ALL, d.rewriteDataRewriteAll());
        Duration maxAge = r.duration(TableProperties.MAX_SNAPSHOT_AGE_DAYS, ChronoUnit.DAYS, Integer.MAX_VALUE,
                () -> r.duration(TableProperties.ICEBERG_MAX_SNAPSHOT_AGE_MS, ChronoUnit.MILLIS, Long.MAX_VALUE,
                        () -> Duration.ofDays(d.maxSnapshotAgeDays())));
        int keep = r.count(TableProperties.MIN_SNAPSHOTS_TO_KEEP,
                () -> r.count(TableProperties.ICEBERG_MIN_SNAPSHOTS_TO_KEEP, d::minSnapshotsToKeep));
        Duration orphanAge = r.duration(TableProperties.ORPHAN_FILE_AGE_DAYS, ChronoUnit.DAYS, Integer.MAX_VALUE,
                () -> Duration.ofDays(d.orphanFileAgeDays()));
        boolean verify = r.bool(TableProperties.VERIFY_AFTER_COMMIT, false);
        RewriteStrategy strategy = r.strategy(TableProperties.REWRITE_STRATEGY);
        List<String> zorderColumns = r.names(TableProperties.ZORDER_COLUMNS);
        r.executor(TableProperties.EXECUTOR, config.executorDefault()); // only its problem: ExecutorRouting decides
        properties.keySet().stream().filter(k -> k.startsWith("snowpack.") && !TableProperties.KNOWN.contains(k))
                .sorted().forEach(k -> problems.add(k + ": unknown snowpack property"));
        return new TableSettings(enabled, skip, cadence, target, minInputFiles, deleteFiles, rewriteDeleteFiles,
                ratio, commits, rewriteAll, maxAge, keep, orphanAge, verify, strategy, zorderColumns, problems);
    }
}
