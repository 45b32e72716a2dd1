package io.snowpack.iceberg;

import io.snowpack.core.model.Counts;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.policy.TableSettings;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.BinPackRewriteFilePlanner;
import org.apache.iceberg.actions.FileRewritePlan;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.actions.RewriteDataFilesCommitManager;
import org.apache.iceberg.actions.RewriteFileGroup;
import org.apache.iceberg.actions.SizeBasedFileRewritePlanner;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.PropertyUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rewrite_data_files}: Iceberg's bin-pack planner picks groups of small files (or every file with
 * {@code rewrite_data_rewrite_all}, and files with many deletes); each group is read with its position and equality
 * deletes applied and written back through rolling Parquet writers at the target size, in the order
 * {@code snowpack.rewrite_strategy} asks for ({@link RowOrder}: as read, the table's sort order, or z-order); groups are committed from
 * the starting snapshot with its sequence number, in at most {@code partial_progress_max_commits} commits. Each
 * group is verified before it is committed ({@link DataGroupRewrite}) and, with {@code snowpack.verify_after_commit},
 * read back after ({@link ReadBackCheck}). The checkpoint runs before each group and before each commit; output of
 * uncommitted groups is deleted. When the rewritten files had deletes applied, delete files that no live data file
 * needs any more are removed afterwards (in a commit carrying the job's summary too).
 */
final class DataFileCompaction {
    private static final Logger LOG = LoggerFactory.getLogger(DataFileCompaction.class);

    private DataFileCompaction() {
    }

    /**
     * Why the planner made no group: too few data files in the whole table, or no partition with enough files that
     * need rewriting (smaller or larger than the target allows, or carrying too many deletes).
     */
    static String nothingToCompact(Snapshot start, TableSettings options) {
        long dataFiles = PropertyUtil.propertyAsLong(start.summary(), SnapshotSummary.TOTAL_DATA_FILES_PROP, -1);
        if (dataFiles >= 0 && dataFiles < options.minInputFiles()) {
            return Counts.of(dataFiles, "data file") + " < min_input_files " + options.minInputFiles();
        }
        return "no partition has min_input_files " + options.minInputFiles() + " files to rewrite together"
                + (dataFiles >= 0 ? " (" + Counts.of(dataFiles, "data file") + " in the table, target file size "
                + options.targetFileSizeBytes() + " bytes)" : "");
    }

    /** The groups the planner makes now, read from the starting snapshot. */
    static List<RewriteFileGroup> plan(Table table, Snapshot start, TableSettings options) {
        BinPackRewriteFilePlanner planner =
                new BinPackRewriteFilePlanner(table, Expressions.alwaysTrue(), start.snapshotId(), false);
        Map<String, String> settings = new HashMap<>();
        settings.put(SizeBasedFileRewritePlanner.TARGET_FILE_SIZE_BYTES, Long.toString(options.targetFileSizeBytes()));
        settings.put(SizeBasedFileRewritePlanner.MIN_INPUT_FILES, Integer.toString(options.minInputFiles()));
        settings.put(SizeBasedFileRewritePlanner.REWRITE_ALL, Boolean.toString(options.rewriteAll()));
        settings.put(BinPackRewriteFilePlanner.DELETE_FILE_THRESHOLD,
                Integer.toString(options.rewriteDataDeleteFileThreshold()));
        settings.put(BinPackRewriteFilePlanner.DELETE_RATIO_THRESHOLD,
                Double.toString(options.rewriteDataDeleteRatioThreshold()));
        planner.init(settings);
        FileRewritePlan<RewriteDataFiles.FileGroupInfo, FileScanTask, DataFile, RewriteFileGroup> plan =
                planner.plan();
        List<RewriteFileGroup> groups = new ArrayList<>();
        try (CloseableIterable<RewriteFileGroup> planned = plan.groups()) {
            planned.forEach(groups::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return groups;
    }

    static ActionResult preview(Table table, TableSettings options) {
        Snapshot start = table.currentSnapshot();
        if (start == null) {
            return ActionResult.succeeded(MaintenanceAction.REWRITE_DATA_FILES, "Would compact nothing: no snapshot",
                    0, Map.of("files_to_rewrite", 0L));
        }
        RowOrder order = RowOrder.of(table, options);
        List<RewriteFileGroup> groups = plan(table, start, options);
        if (groups.isEmpty()) {
            return ActionResult.succeeded(MaintenanceAction.REWRITE_DATA_FILES,
                    "Would compact nothing: " + nothingToCompact(start, options), 0,
                    Map.of("files_to_rewrite", 0L, "bytes_to_rewrite", 0L, "expected_output_files", 0L,
                            "groups", 0L));
        }
        long files = groups.stream().mapToLong(RewriteFileGroup::inputFileNum).sum();
        long bytes = groups.stream().mapToLong(RewriteFileGroup::inputFilesSizeInBytes).sum();
        long outputs = groups.stream().mapToLong(RewriteFileGroup::expectedOutputFiles).sum();
        return ActionResult.succeeded(MaintenanceAction.REWRITE_DATA_FILES,
                "Would compact " + Counts.of(files, "file") + " (" + bytes + " bytes) into about "
                        + Counts.of(outputs, "file") + " in " + Counts.of(groups.size(), "group") + " ("
                        + order.describe() + ")", 0,
                Map.of("files_to_rewrite", files, "bytes_to_rewrite", bytes, "expected_output_files", outputs,
                        "groups", (long) groups.size()));
    }

    static ActionResult execute(Table table, ActionRequest request, Checkpoint checkpoint, TableSettings options,
            Verification verification) {
        long begin = System.nanoTime();
        Snapshot start = table.currentSnapshot();
        if (start == null) {
            return ActionResult.succeeded(request.action(), "Compacted 0 files: the table has no snapshot", 0,
                    Map.of("files_in", 0L, "files_out", 0L));
        }
        RowOrder order = RowOrder.of(table, options);
        List<RewriteFileGroup> groups = plan(table, start, options);
        if (groups.isEmpty()) {
            return ActionResult.succeeded(request.action(), "Compacted 0 files (" + order.describe()
                    + "): " + nothingToCompact(start, options), seconds(begin), Map.of("files_in", 0L,
                    "files_out", 0L, "groups", 0L, "commits", 0L));
        }
        RewriteDataFilesCommitManager commits =
                new RewriteDataFilesCommitManager(table, start.snapshotId(), true, CommitProperties.of(request));
        ReadBackCheck readBack = new ReadBackCheck(table, request, start.snapshotId(), verification);
        int perCommit = (int) Math.ceil(groups.size() / (double) options.partialProgressMaxCommits());
        long filesIn = 0;
        long filesOut = 0;
        long bytesIn = 0;
        long bytesOut = 0;
        int committed = 0;
        int done = 0;
        boolean appliedDeletes = false;
        for (int from = 0; from < groups.size(); from += perCommit) {
            Set<RewriteFileGroup> batch = new LinkedHashSet<>(groups.subList(from, Math.min(groups.size(),
                    from + perCommit)));
            try {
                for (RewriteFileGroup group : batch) {
                    checkpoint.check();
                    new DataGroupRewrite(table, group, request, verification, order, SortedRuns.DEFAULT_ROWS_IN_MEMORY)
                            .run();
                    done++;
                    LOG.info("Rewrote group {} of {}: {} files into {}", done, groups.size(), group.inputFileNum(),
                            group.addedFiles().size());
                }
                checkpoint.check();
            } catch (RuntimeException e) {
                batch.stream().filter(g -> g.addedFiles() != null).forEach(commits::abortFileGroup);
                throw e;
            }
            commits.commitOrClean(batch);
            committed++;
            Set<String> removed = new HashSet<>();
            Set<String> added = new HashSet<>();
            for (RewriteFileGroup group : batch) {
                filesIn += group.rewrittenFiles().size();
                bytesIn += group.inputFilesSizeInBytes();
                filesOut += group.addedFiles().size();
                bytesOut += group.addedFiles().stream().mapToLong(DataFile::fileSizeInBytes).sum();
                group.rewrittenFiles().forEach(f -> removed.add(f.location()));
                appliedDeletes |= group.fileScanTasks().stream().anyMatch(t -> !t.deletes().isEmpty());
                group.addedFiles().forEach(f -> added.add(f.location()));
            }
            if (options.verifyAfterCommit()) {
                readBack.check(ReadBackCheck.located(removed), ReadBackCheck.located(added));
            }
        }
        long dangling = 0;
        if (appliedDeletes) {
            checkpoint.check();
            dangling = PositionDeleteCompaction.removeDanglingDeletes(table, request);
        }
        return ActionResult.succeeded(request.action(), "Compacted " + Counts.of(filesIn, "file") + " into "
                        + Counts.of(filesOut, "file") + " (" + order.describe() + ")" + (dangling > 0 ? ", removed " + dangling + " delete files no file needs now" : ""),
                seconds(begin), Map.of("files_in", filesIn, "files_out", filesOut,
                        "bytes_in", bytesIn, "bytes_out", bytesOut, "groups", (long) groups.size(),
                        "commits", (long) committed, "dangling_delete_files_removed", dangling));
    }

    private static double seconds(long begin) {
        return (System.nanoTime() - begin) / 1e9;
    }
}
