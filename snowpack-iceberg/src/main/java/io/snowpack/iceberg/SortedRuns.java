package io.snowpack.iceberg;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SortedMerge;

/**
 * An external merge sort of one group's rows, so that memory stays bounded whatever the group's size: rows are held
 * in memory up to {@link #DEFAULT_ROWS_IN_MEMORY} at a time; each full batch is sorted and spilled as a Parquet run
 * file (row groups of {@link #RUN_ROW_GROUP_BYTES}) to a private temporary directory under {@code java.io.tmpdir};
 * the runs are then merged ({@link SortedMerge}), holding one row group of each run. A group that fits in one batch
 * never touches the disk. {@link #close()} deletes every run file.
 */
final class SortedRuns implements Closeable {
    /** Rows held in memory before a sorted run is spilled to local disk. */
    static final int DEFAULT_ROWS_IN_MEMORY = 100_000;
    /** Parquet row-group size of a spilled run: what the merge holds in memory per run. */
    static final long RUN_ROW_GROUP_BYTES = 1024 * 1024;

    private final Table table;
    private final Schema schema;
    private final Schema runSchema;
    private final Comparator<Record> order;
    private final int rowsInMemory;
    private final List<Record> batch = new ArrayList<>();
    private final List<File> runs = new ArrayList<>();
    private Path directory;

    SortedRuns(Table table, Schema schema, Comparator<Record> order, int rowsInMemory) {
        if (rowsInMemory < 1) {
            throw new IllegalArgumentException("rowsInMemory must be at least 1, not " + rowsInMemory);
        }
        this.table = table;
        this.schema = schema;
        this.runSchema = runSchema(table, schema);
        this.order = order;
        this.rowsInMemory = rowsInMemory;
    }

    /**
     * {@code schema} with its metadata columns (row lineage on v3) as ordinary columns of fresh ids, in the same
     * positions: Iceberg's reader replaces {@code _row_id} with nulls in a file that has no first row id, so a run
     * file must not hold them as metadata columns. Rows are read and written by position, so they pass unchanged.
     */
    private static Schema runSchema(Table table, Schema schema) {
        int next = table.schema().highestFieldId() + 1;
        List<Types.NestedField> columns = new ArrayList<>();
        for (Types.NestedField column : schema.columns()) {
            columns.add(MetadataColumns.isMetadataColumn(column.fieldId())
                    ? Types.NestedField.optional(next++, "run" + column.name(), column.type())
                    : column);
        }
        return new Schema(columns);
    }

    void add(Record row) {
        batch.add(row);
        if (batch.size() >= rowsInMemory) {
            spill();
        }
    }

    /** How many runs were spilled to disk so far. */
    int spilledRuns() {
        return runs.size();
    }

    /** Every row added, in order; iterate it once, before {@link #close()}. */
    CloseableIterable<Record> sorted() {
        batch.sort(order);
        if (runs.isEmpty()) {
            return CloseableIterable.withNoopClose(batch);
        }
        List<CloseableIterable<Record>> sources = new ArrayList<>();
        for (File run : runs) {
            sources.add(FormatModelRegistry.<Record, Schema>readBuilder(FileFormat.PARQUET, Record.class,
                    org.apache.iceberg.Files.localInput(run)).project(runSchema).build());
        }
        if (!batch.isEmpty()) {
            sources.add(CloseableIterable.withNoopClose(batch));
        }
        return new SortedMerge<>(order, sources);
    }

    private void spill() {
        batch.sort(order);
        try {
            if (directory == null) {
                directory = Files.createTempDirectory("snowpack-sort-");
            }
            File run = directory.resolve("run-" + runs.size() + ".parquet").toFile();
            GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                    .dataFileFormat(FileFormat.PARQUET).dataSchema(runSchema)
                    .writerProperties(Map.of(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
                            Long.toString(RUN_ROW_GROUP_BYTES)))
                    .build();
            runs.add(run);
            DataWriter<Record> writer = writers.newDataWriter(EncryptedFiles.plainAsEncryptedOutput(
                    org.apache.iceberg.Files.localOutput(run)), PartitionSpec.unpartitioned(), null);
            try (writer) {
                batch.forEach(writer::write);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Spilling a sorted run to " + directory + " failed", e);
        }
        batch.clear();
    }

    @Override
    public void close() {
        batch.clear();
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("Deleting sorted runs under " + directory + " failed", e);
        }
    }
}
