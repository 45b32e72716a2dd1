package io.snowpack.iceberg;

import io.snowpack.core.spi.ActionRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.PositionDeletesScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewritePositionDeletesGroup;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DeleteSchemaUtil;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.util.StructLikeMap;

/**
 * Rewrites one group of position-delete files and proves the output before anything is committed. Positions of
 * data files that are no longer live are dropped, duplicates merged, and the rest written sorted into one file per
 * spec and partition <em>of the data files they delete from</em> (the planner's group tuple is in the table's
 * unified partition type and cannot be copied into one spec). Then the output is read back: every position read
 * for a live data file is there exactly once (count and checksum), and each output file sits in the spec and
 * partition of every data file it names. A broken invariant deletes the output and throws.
 */
final class DeleteGroupRewrite {
    private static final String ACTION = "rewrite_position_delete_files";
    private static final Comparator<Position> ORDER =
            Comparator.comparing(Position::path).thenComparingLong(Position::pos);

    private final Table table;
    private final RewritePositionDeletesGroup group;
    private final Map<String, DataFile> live;
    private final ActionRequest request;
    private final Verification verification;

    DeleteGroupRewrite(Table table, RewritePositionDeletesGroup group, Map<String, DataFile> live,
            ActionRequest request, Verification verification) {
        this.table = table;
        this.group = group;
        this.live = live;
        this.request = request;
        this.verification = verification;
    }

    record Position(String path, long pos) {
    }

    /** Writes the group's live positions into new files, verifies them and sets them as the group's output. */
    void run() {
        Map<Integer, StructLikeMap<TreeSet<Position>>> bySpec = new java.util.HashMap<>();
        long read = 0;
        Schema pathPos = DeleteSchemaUtil.pathPosSchema();
        for (PositionDeletesScanTask task : group.fileScanTasks()) {
            try (CloseableIterable<Record> rows = FormatModelRegistry.<Record, Schema>readBuilder(
                    task.file().format(), Record.class, table.io().newInputFile(task.file().location()))
                    .project(pathPos).build()) {
                for (Record row : rows) {
                    read++;
                    DataFile target = live.get(row.getField("file_path").toString());
                    if (target != null) {
                        PartitionSpec spec = table.specs().get(target.specId());
                        bySpec.computeIfAbsent(spec.specId(), id -> StructLikeMap.create(spec.partitionType()))
                                .computeIfAbsent(target.partition(), p -> new TreeSet<>(ORDER))
                                .add(new Position(target.location(), (Long) row.getField("pos")));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        long inputPositions = group.rewrittenDeleteFiles().stream().mapToLong(DeleteFile::recordCount).sum();
        if (read != inputPositions) {
            group.setOutputFiles(Set.of());
            throw fail(Invariant.ROWS_READ, read + " positions read from " + group.rewrittenDeleteFiles().size()
                    + " delete files that hold " + inputPositions);
        }
        PositionDigest expected = new PositionDigest();
        bySpec.values().forEach(partitions -> partitions.values().forEach(set -> set.forEach(expected::add)));
        List<DeleteFile> written = new ArrayList<>();
        try {
            GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                    .deleteFileFormat(FileFormat.PARQUET).build();
            OutputFileFactory files = OutputFiles.factory(table, request, "deletes", group.info().globalIndex(), 1);
            for (Map.Entry<Integer, StructLikeMap<TreeSet<Position>>> spec : bySpec.entrySet()) {
                for (Map.Entry<StructLike, TreeSet<Position>> partition : spec.getValue().entrySet()) {
                    written.add(write(writers, files, table.specs().get(spec.getKey()), partition.getKey(),
                            partition.getValue()));
                }
            }
        } catch (NoOverwriteFileIO.PathAlreadyExists e) {
            written.forEach(f -> table.io().deleteFile(f.location()));
            group.setOutputFiles(Set.of());
            throw fail(Invariant.NEW_OUTPUT_PATHS, e.getMessage() + "; a rewrite never replaces a file");
        } catch (RuntimeException e) {
            written.forEach(f -> table.io().deleteFile(f.location()));
            group.setOutputFiles(Set.of());
            throw e;
        }
        group.setOutputFiles(Set.copyOf(written));
        long begin = System.nanoTime();
        try {
            verify(expected);
        } finally {
            verification.metrics().timed(ACTION, "pre_commit", System.nanoTime() - begin);
        }
    }

    private DeleteFile write(GenericFileWriterFactory writers, OutputFileFactory files, PartitionSpec spec,
            StructLike partition, TreeSet<Position> positions) {
        StructLike target = spec.isUnpartitioned() ? null : verification.faults().deletePartition(spec, partition);
        PositionDeleteWriter<Record> writer = writers.newPositionDeleteWriter(
                target == null ? files.newOutputFile() : files.newOutputFile(spec, target), spec, target);
        try (writer) {
            PositionDelete<Record> delete = PositionDelete.create();
            for (Position position : positions) {
                verification.faults().writePosition(position.path(), position.pos(),
                        (path, pos) -> writer.write(delete.set(path, pos)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return writer.toDeleteFile();
    }

    /** Reads every output file back and checks it against what was read. */
    private void verify(PositionDigest expected) {
        PositionDigest actual = new PositionDigest();
        Schema pathPos = DeleteSchemaUtil.pathPosSchema();
        for (DeleteFile file : group.addedDeleteFiles()) {
            PartitionSpec spec = table.specs().get(file.specId());
            Comparator<StructLike> samePartition = Comparators.forType(spec.partitionType());
            Set<String> checked = new HashSet<>();
            long rows = 0;
            try (CloseableIterable<Record> records = FormatModelRegistry.<Record, Schema>readBuilder(file.format(),
                    Record.class, table.io().newInputFile(file.location())).project(pathPos).build()) {
                for (Record record : records) {
                    rows++;
                    Position position = new Position(record.getField("file_path").toString(),
                            (Long) record.getField("pos"));
                    actual.add(position);
                    if (checked.add(position.path())) {
                        DataFile target = live.get(position.path());
                        if (target == null || target.specId() != file.specId()
                                || (spec.isPartitioned()
                                    && samePartition.compare(target.partition(), file.partition()) != 0)) {
                            throw fail(Invariant.DELETE_PARTITION, file.location() + " (spec " + file.specId()
                                    + ", partition '" + spec.partitionToPath(file.partition()) + "') deletes from "
                                    + position.path() + describe(target) + ", so Iceberg would never apply it");
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (rows != file.recordCount()) {
                throw fail(Invariant.DELETES_PRESERVED, file.location() + " claims " + file.recordCount()
                        + " positions but holds " + rows);
            }
        }
        if (!actual.equals(expected)) {
            throw fail(Invariant.DELETES_PRESERVED, expected.count() + " distinct positions of live data files "
                    + "were read, but the rewritten files hold " + actual.count()
                    + (actual.count() == expected.count() ? " different ones" : ""));
        }
    }

    private String describe(DataFile target) {
        if (target == null) {
            return ", which is not a live data file";
        }
        PartitionSpec spec = table.specs().get(target.specId());
        return " (spec " + target.specId() + ", partition '"
                + (spec.isPartitioned() ? spec.partitionToPath(target.partition()) : "") + "')";
    }

    private VerificationFailedException fail(Invariant invariant, String detail) {
        return verification.metrics().failed(ACTION, invariant.broken(ACTION, detail));
    }

    /** Count and order-independent checksum of a multiset of positions. */
    private static final class PositionDigest {
        private long count;
        private long sum;
        private long squares;

        void add(Position position) {
            long h = position.path().hashCode() * 0x9E3779B97F4A7C15L + position.pos() * 0xC2B2AE3D27D4EB4FL;
            h ^= h >>> 31;
            count++;
            sum += h;
            squares += h * h;
        }

        long count() {
            return count;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof PositionDigest d && d.count == count && d.sum == sum && d.squares == squares;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(count ^ sum ^ squares);
        }
    }
}
