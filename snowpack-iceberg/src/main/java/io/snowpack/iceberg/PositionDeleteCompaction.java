package io.snowpack.iceberg;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.PositionDeletesScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.BinPackRewritePositionDeletePlanner;
import org.apache.iceberg.actions.RemoveDanglingDeleteFilesAction;
import org.apache.iceberg.actions.RewritePositionDeletesCommitManager;
import org.apache.iceberg.actions.RewritePositionDeletesGroup;
import org.apache.iceberg.actions.SizeBasedFileRewritePlanner;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DeleteSchemaUtil;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * {@code rewrite_position_delete_files}: groups of position-delete files (per partition) are merged into one sorted
 * file each, dropping positions of data files that are no longer live; then delete files that no live data file
 * needs any more are removed. Checkpoints before each group and before each commit.
 */
final class PositionDeleteCompaction {
    private PositionDeleteCompaction() {
    }

    private static List<RewritePositionDeletesGroup> plan(Table table, TableOptions options) {
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

    static ActionResult preview(Table table, TableOptions options) {
        List<RewritePositionDeletesGroup> groups = table.currentSnapshot() == null ? List.of() : plan(table, options);
        long files = groups.stream().mapToLong(RewritePositionDeletesGroup::inputFileNum).sum();
        return ActionResult.succeeded(MaintenanceAction.REWRITE_POSITION_DELETE_FILES, "Would rewrite " + files
                + " position-delete files in " + groups.size() + " groups", 0,
                Map.of("delete_files_to_rewrite", files, "groups", (long) groups.size()));
    }

    static ActionResult execute(Table table, ActionRequest request, Checkpoint checkpoint, TableOptions options) {
        long begin = System.nanoTime();
        if (table.currentSnapshot() == null) {
            return ActionResult.succeeded(request.action(), "Rewrote 0 position-delete files: no snapshot", 0,
                    Map.of("delete_files_in", 0L, "delete_files_out", 0L));
        }
        RewritePositionDeletesCommitManager commits =
                new RewritePositionDeletesCommitManager(table, CommitProperties.of(request));
        List<RewritePositionDeletesGroup> groups = plan(table, options);
        long filesIn = 0;
        long filesOut = 0;
        if (!groups.isEmpty()) {
            Set<String> live = liveDataFiles(table);
            Set<RewritePositionDeletesGroup> batch = new LinkedHashSet<>();
            try {
                for (RewritePositionDeletesGroup group : groups) {
                    checkpoint.check();
                    rewrite(table, group, live, request);
                    batch.add(group);
                }
                checkpoint.check();
            } catch (RuntimeException e) {
                batch.forEach(commits::abort);
                throw e;
            }
            commits.commitOrClean(batch);
            for (RewritePositionDeletesGroup group : batch) {
                filesIn += group.rewrittenDeleteFiles().size();
                filesOut += group.addedDeleteFiles().size();
            }
            table.refresh();
        }
        checkpoint.check();
        long dangling = 0;
        for (DeleteFile ignored : new RemoveDanglingDeleteFilesAction(table).execute().removedDeleteFiles()) {
            dangling++;
        }
        return ActionResult.succeeded(request.action(), "Rewrote " + filesIn + " position-delete files into "
                        + filesOut + ", removed " + dangling + " dangling delete files", (System.nanoTime() - begin) / 1e9,
                Map.of("delete_files_in", filesIn, "delete_files_out", filesOut, "dangling_removed", dangling,
                        "groups", (long) groups.size()));
    }

    private static Set<String> liveDataFiles(Table table) {
        Set<String> live = new HashSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(task -> live.add(task.file().location()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return live;
    }

    private record Position(String path, long pos) {
    }

    private static void rewrite(Table table, RewritePositionDeletesGroup group, Set<String> live,
            ActionRequest request) {
        Schema pathPos = DeleteSchemaUtil.pathPosSchema();
        List<Position> positions = new ArrayList<>();
        for (PositionDeletesScanTask task : group.fileScanTasks()) {
            try (CloseableIterable<Record> rows = FormatModelRegistry.<Record, Schema>readBuilder(
                    task.file().format(), Record.class, table.io().newInputFile(task.file().location()))
                    .project(pathPos).build()) {
                for (Record row : rows) {
                    String path = row.getField("file_path").toString();
                    if (live.contains(path)) {
                        positions.add(new Position(path, (Long) row.getField("pos")));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (positions.isEmpty()) {
            group.setOutputFiles(Set.of());
            return;
        }
        positions.sort(Comparator.comparing(Position::path).thenComparingLong(Position::pos));
        PartitionSpec spec = table.specs().get(group.fileScanTasks().get(0).spec().specId());
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .deleteFileFormat(FileFormat.PARQUET).build();
        OutputFileFactory files = OutputFileFactory.builderFor(table, group.info().globalIndex(), 1)
                .format(FileFormat.PARQUET).operationId(request.jobId().value() + "-deletes").build();
        PositionDeleteWriter<Record> writer = writers.newPositionDeleteWriter(files.newOutputFile(), spec,
                spec.isUnpartitioned() ? null : group.info().partition());
        try (writer) {
            PositionDelete<Record> delete = PositionDelete.create();
            for (Position position : positions) {
                writer.write(delete.set(position.path(), position.pos()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        group.setOutputFiles(Set.of(writer.toDeleteFile()));
    }
}
