package io.snowpack.iceberg;

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
import java.util.function.Predicate;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.actions.BinPackRewritePositionDeletePlanner;
import org.apache.iceberg.actions.RemoveDanglingDeleteFilesAction;
import org.apache.iceberg.actions.RewritePositionDeletesCommitManager;
import org.apache.iceberg.actions.RewritePositionDeletesGroup;
import org.apache.iceberg.actions.SizeBasedFileRewritePlanner;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * {@code rewrite_position_delete_files}: groups of position-delete files (per partition) are merged into one sorted
 * file per spec and partition, dropping positions of data files that are no longer live, verified before the
 * commit ({@link DeleteGroupRewrite}) and, with {@code snowpack.verify_after_commit}, read back after; then delete
 * files that no live data file needs any more are removed, in a commit that carries the job's summary properties
 * too. On format v3, where Iceberg accepts only deletion vectors, the position-delete files a table kept from v2
 * are rewritten into deletion vectors instead ({@link DeletionVectorConversion}). Checkpoints before each group and
 * each commit.
 */
final class PositionDeleteCompaction {
    private PositionDeleteCompaction() {
    }

    private static List<RewritePositionDeletesGroup> plan(Table table, TableSettings options) {
        BinPackRewritePositionDeletePlanner planner =
                new BinPackRewritePositionDeletePlanner(table, Expressions.alwaysTrue(), false);
        planner.init(Map.of(SizeBasedFileRewritePlanner.TARGET_FILE_SIZE_BYTES,
                Long.toString(options.targetFileSizeBytes()), SizeBasedFileRewritePlanner.MIN_INPUT_FILES, "2"));
        List<RewritePositionDeletesGroup> groups = new ArrayList<>();
        try (CloseableIterable<RewritePositionDeletesGroup> planned = planner.plan().groups()) {
            planned.forEach(groups::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return groups;
    }

    static ActionResult preview(Table table, TableSettings options) {
        if (TableUtil.formatVersion(table) >= 3) {
            long files = DeletionVectorConversion.positionDeleteFiles(table, table.currentSnapshot()).size();
            return ActionResult.succeeded(MaintenanceAction.REWRITE_POSITION_DELETE_FILES, "Would rewrite " + files
                    + " position-delete files into deletion vectors (format v3)", 0,
                    Map.of("delete_files_to_rewrite", files, "groups", files > 0 ? 1L : 0L));
        }
        List<RewritePositionDeletesGroup> groups = table.currentSnapshot() == null ? List.of() : plan(table, options);
        long files = groups.stream().mapToLong(RewritePositionDeletesGroup::inputFileNum).sum();
        return ActionResult.succeeded(MaintenanceAction.REWRITE_POSITION_DELETE_FILES, "Would rewrite " + files
                + " position-delete files in " + groups.size() + " groups", 0,
                Map.of("delete_files_to_rewrite", files, "groups", (long) groups.size()));
    }

    static ActionResult execute(Table table, ActionRequest request, Checkpoint checkpoint, TableSettings options,
            Verification verification) {
        long begin = System.nanoTime();
        Snapshot start = table.currentSnapshot();
        if (start == null) {
            return ActionResult.succeeded(request.action(), "Rewrote 0 position-delete files: no snapshot", 0,
                    Map.of("delete_files_in", 0L, "delete_files_out", 0L));
        }
        if (TableUtil.formatVersion(table) >= 3) {
            return toDeletionVectors(table, request, checkpoint, options, verification, begin);
        }
        Map<String, String> summary = CommitProperties.of(request);
        RewritePositionDeletesCommitManager commits = new RewritePositionDeletesCommitManager(table, summary);
        List<RewritePositionDeletesGroup> groups = plan(table, options);
        long filesIn = 0;
        long filesOut = 0;
        if (!groups.isEmpty()) {
            Map<String, DataFile> live = liveDataFiles(table);
            Set<RewritePositionDeletesGroup> batch = new LinkedHashSet<>();
            try {
                for (RewritePositionDeletesGroup group : groups) {
                    checkpoint.check();
                    batch.add(group);
                    new DeleteGroupRewrite(table, group, live, request, verification).run();
                }
                checkpoint.check();
            } catch (RuntimeException e) {
                batch.stream().filter(g -> g.addedDeleteFiles() != null).forEach(commits::abort);
                throw e;
            }
            commits.commitOrClean(batch);
            Set<String> touched = new HashSet<>();
            for (RewritePositionDeletesGroup group : batch) {
                filesIn += group.rewrittenDeleteFiles().size();
                filesOut += group.addedDeleteFiles().size();
                group.rewrittenDeleteFiles().forEach(f -> touched.add(f.specId() + "/" + partitionPath(table, f)));
            }
            if (options.verifyAfterCommit()) {
                Predicate<DataFile> affected = f -> touched.contains(f.specId() + "/" + partitionPath(table, f));
                new ReadBackCheck(table, request, start.snapshotId(), verification).check(affected, affected);
            }
            table.refresh();
        }
        checkpoint.check();
        long removed = removeDanglingDeletes(table, request);
        return ActionResult.succeeded(request.action(), "Rewrote " + filesIn + " position-delete files into "
                        + filesOut + ", removed " + removed + " dangling delete files",
                (System.nanoTime() - begin) / 1e9,
                Map.of("delete_files_in", filesIn, "delete_files_out", filesOut, DanglingDeleteCleanup.REMOVED, removed,
                        "groups", (long) groups.size()));
    }

    /** Format v3: position-delete files kept from v2 become deletion vectors; then dangling deletes go. */
    private static ActionResult toDeletionVectors(Table table, ActionRequest request, Checkpoint checkpoint,
            TableSettings options, Verification verification, long begin) {
        Snapshot start = table.currentSnapshot();
        DeletionVectorConversion.Result converted =
                new DeletionVectorConversion(table, request, verification).run(checkpoint);
        if (converted.deleteFilesIn() > 0 && options.verifyAfterCommit()) {
            Predicate<DataFile> all = f -> true;
            new ReadBackCheck(table, request, start.snapshotId(), verification).check(all, all);
        }
        checkpoint.check();
        long removed = removeDanglingDeletes(table, request);
        return ActionResult.succeeded(request.action(), "Rewrote " + converted.deleteFilesIn()
                        + " position-delete files into " + converted.vectorsOut() + " deletion vectors ("
                        + converted.positions() + " positions), removed " + removed + " dangling delete files",
                (System.nanoTime() - begin) / 1e9,
                Map.of("delete_files_in", converted.deleteFilesIn(), "delete_files_out", converted.vectorsOut(),
                        "deletion_vectors_written", converted.vectorsOut(), DanglingDeleteCleanup.REMOVED, removed,
                        "groups", converted.deleteFilesIn() > 0 ? 1L : 0L));
    }

    /**
     * Removes delete files that no live data file needs any more (their data files were rewritten or deleted), in
     * a commit that carries the job's summary properties.
     *
     * @return how many delete files were removed
     */
    static long removeDanglingDeletes(Table table, ActionRequest request) {
        table.refresh();
        RemoveDanglingDeleteFilesAction dangling = new RemoveDanglingDeleteFilesAction(table);
        CommitProperties.of(request).forEach(dangling::set);
        long removed = 0;
        for (DeleteFile ignored : dangling.execute().removedDeleteFiles()) {
            removed++;
        }
        return removed;
    }

    private static String partitionPath(Table table, ContentFile<?> file) {
        PartitionSpec spec = table.specs().get(file.specId());
        return spec.isPartitioned() ? spec.partitionToPath(file.partition()) : "";
    }

    private static Map<String, DataFile> liveDataFiles(Table table) {
        Map<String, DataFile> live = new HashMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(task -> live.put(task.file().location(), task.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return live;
    }
}
