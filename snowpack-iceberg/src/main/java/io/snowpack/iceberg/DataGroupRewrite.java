package io.snowpack.iceberg;

import io.snowpack.core.spi.ActionRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.actions.RewriteFileGroup;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.StructLikeMap;

/**
 * Rewrites one compaction group and proves the output before anything is committed. Each live row's partition
 * is computed in the output spec (the planner puts files of older specs in one group with an empty partition, so
 * a group's own tuple cannot be used), rows fan out to one rolling writer per partition, and then the output is
 * checked: every input row was read, rows written = rows read − rows deleted, per output partition, and every
 * output file's partition matches its rows. With a sort or z-order ({@link RowOrder}) the rows pass through an
 * external merge sort ({@link SortedRuns}) before the writers, the output files claim the table's sort order only
 * for a sort, and each output file is read back to check its rows are in order. On format v3 the rows carry their
 * row lineage ({@code _row_id}, {@code _last_updated_sequence_number}) into the output files, and deletion vectors
 * are applied like position deletes (the commit drops them with their data files). A broken invariant deletes the
 * output and throws.
 */
final class DataGroupRewrite {
    private static final String ACTION = "rewrite_data_files";

    private final Table table;
    private final RewriteFileGroup group;
    private final ActionRequest request;
    private final Verification verification;
    private final RowOrder order;
    private final int rowsInMemory;

    /**
     * A rewrite of {@code group} writing rows in {@code order}; a sort or z-order holds at most
     * {@code rowsInMemory} rows in memory and spills sorted runs to local disk beyond ({@link SortedRuns}).
     */
    DataGroupRewrite(Table table, RewriteFileGroup group, ActionRequest request, Verification verification,
            RowOrder order, int rowsInMemory) {
        this.table = table;
        this.group = group;
        this.request = request;
        this.verification = verification;
        this.order = order;
        this.rowsInMemory = rowsInMemory;
    }

    /** Writes the group's live rows into new files, verifies them and sets them as the group's output. */
    void run() {
        Schema schema = LiveRows.readSchema(table);
        PartitionSpec spec = table.specs().get(group.outputSpecId());
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET).dataSchema(schema).dataSortOrder(order.claimedSortOrder())
                .build();
        OutputFileFactory files = OutputFiles.factory(table, request, "data", group.info().globalIndex(), 0);
        MeasuredFanoutWriter<Record> writer = new MeasuredFanoutWriter<>(writers, files, group.maxOutputFileSize(),
                PropertyUtil.propertyAsLong(table.properties(), TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
                        TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES_DEFAULT));
        PartitionKey key = new PartitionKey(spec, schema);
        InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
        StructLikeMap<long[]> expected = StructLikeMap.create(spec.partitionType());
        LiveRows rows = new LiveRows(table, schema);
        Consumer<Record> write = row -> {
            StructLike partition = null;
            if (spec.isPartitioned()) {
                key.partition(wrapper.wrap(row));
                partition = key;
            }
            verification.faults().writeRow(row, partition, (r, p) -> writer.write(r, spec, p));
        };
        try (SortedRuns sorted = order.reordersRows()
                ? new SortedRuns(table, schema, order.comparator(), rowsInMemory) : null) {
            try (writer) {
                for (FileScanTask task : group.fileScanTasks()) {
                    rows.forEach(task, row -> {
                        if (spec.isPartitioned()) { // unpartitioned: one partition, counted once below
                            key.partition(wrapper.wrap(row));
                            long[] count = expected.get(key);
                            if (count == null) {
                                count = new long[1];
                                expected.put(key.copy(), count);
                            }
                            count[0]++;
                        }
                        if (sorted == null) {
                            write.accept(row);
                        } else {
                            sorted.add(row);
                        }
                    });
                }
                if (!spec.isPartitioned() && rows.rowsLive() > 0) {
                    expected.put(key.copy(), new long[] {rows.rowsLive()});
                }
                if (sorted != null) {
                    try (CloseableIterable<Record> inOrder = sorted.sorted()) {
                        inOrder.forEach(write);
                    }
                }
            }
        } catch (IOException e) {
            deleteWritten(writer);
            throw new UncheckedIOException("Writing compacted files failed", e);
        } catch (NoOverwriteFileIO.PathAlreadyExists e) {
            deleteWritten(writer);
            throw fail(Invariant.NEW_OUTPUT_PATHS, e.getMessage() + "; a rewrite never replaces a file");
        } catch (RuntimeException e) {
            deleteWritten(writer);
            throw e;
        }
        group.setOutputFiles(Set.copyOf(writer.result().dataFiles()));
        long begin = System.nanoTime();
        try {
            verify(spec, rows, expected);
        } finally {
            verification.metrics().timed(ACTION, "pre_commit", System.nanoTime() - begin);
        }
    }

    private void verify(PartitionSpec spec, LiveRows rows, StructLikeMap<long[]> expected) {
        long inputRows = group.rewrittenFiles().stream().mapToLong(DataFile::recordCount).sum();
        if (rows.rowsRead() != inputRows) {
            throw fail(Invariant.ROWS_READ, rows.rowsRead() + " rows read from " + group.rewrittenFiles().size()
                    + " files that hold " + inputRows);
        }
        Set<DataFile> output = group.addedFiles();
        long written = output.stream().mapToLong(DataFile::recordCount).sum();
        if (written != rows.rowsLive()) {
            throw fail(Invariant.ROW_COUNT, written + " rows written, but " + rows.rowsRead() + " read − "
                    + rows.rowsRemoved() + " deleted = " + rows.rowsLive());
        }
        StructLikeMap<Long> actual = StructLikeMap.create(spec.partitionType());
        for (DataFile file : output) {
            actual.merge(file.partition(), file.recordCount(), Long::sum);
        }
        for (Map.Entry<StructLike, long[]> entry : expected.entrySet()) {
            long got = actual.getOrDefault(entry.getKey(), 0L);
            if (got != entry.getValue()[0]) {
                throw fail(Invariant.PARTITION_ROW_COUNT, "partition '" + path(spec, entry.getKey()) + "' has "
                        + entry.getValue()[0] + " live rows but " + got + " were written to it");
            }
        }
        for (StructLike partition : actual.keySet()) {
            if (!expected.containsKey(partition)) {
                throw fail(Invariant.PARTITION_ROW_COUNT, actual.get(partition) + " rows were written to partition '"
                        + path(spec, partition) + "', where no row read belongs");
            }
        }
        for (DataFile file : output) {
            Optional<String> problem = PartitionCheck.problem(table, file);
            if (problem.isPresent()) {
                throw fail(Invariant.PARTITION_MATCHES_ROWS, problem.get());
            }
        }
        if (order.reordersRows()) {
            for (DataFile file : output) {
                Optional<String> problem = OrderCheck.problem(table, file, order.comparator(), order.describe());
                if (problem.isPresent()) {
                    throw fail(Invariant.ROWS_IN_ORDER, problem.get());
                }
            }
        }
    }

    private static String path(PartitionSpec spec, StructLike partition) {
        return spec.isPartitioned() ? spec.partitionToPath(partition) : "(unpartitioned)";
    }

    private VerificationFailedException fail(Invariant invariant, String detail) {
        return verification.metrics().failed(ACTION, invariant.broken(ACTION, "group " + (group.info().globalIndex()
                + 1) + ": " + detail));
    }

    private void deleteWritten(MeasuredFanoutWriter<Record> writer) {
        try {
            List<DataFile> written = writer.result().dataFiles();
            written.forEach(f -> table.io().deleteFile(f.location()));
        } catch (RuntimeException ignored) {
            // the writer never finished: what it opened is left for remove_orphan_files
        }
    }
}
