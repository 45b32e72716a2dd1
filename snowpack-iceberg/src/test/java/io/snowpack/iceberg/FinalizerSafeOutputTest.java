package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.DelegatingOutputStream;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.parquet.Parquet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the process-level outage run: a compacted file committed with a checksum error. Iceberg's Parquet
 * writer unwraps a Hadoop output stream to its {@code FSDataOutputStream} and drops the wrapper, whose finalizer
 * then closes the stream while Parquet still writes to it (apache/iceberg#7696, never merged): under GC pressure
 * the file is corrupted after it was written, and committed. Snowpack's output streams are not unwrappable, so
 * the wrapper lives as long as the writer. This test writes a file while forcing collections and finalization,
 * then reads every row back with checksums verified.
 */
class FinalizerSafeOutputTest {
    @TempDir
    Path root;

    @Test
    void aFileWrittenUnderGcPressureReadsBackWhole() throws IOException {
        try (Warehouse warehouse = new Warehouse(root)) {
            Table table = warehouse.create("big", RichRows.SCHEMA, PartitionSpec.unpartitioned(), Map.of());
            ActionRequest request = new ActionRequest(JobId.random(), TableId.of("db", "big"),
                    MaintenanceAction.REWRITE_DATA_FILES, 1, 1);
            OutputFileFactory files = OutputFiles.factory(table, request, "data", 0, 0);
            PositionOutputStream stream = NoOverwriteFileIO.wrap(table.io())
                    .newOutputFile(root.resolve("probe.bin").toUri().toString()).create();
            assertThat(stream).as("Parquet must not be able to unwrap it").isNotInstanceOf(DelegatingOutputStream.class);
            stream.close();

            GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                    .dataFileFormat(FileFormat.PARQUET).dataSchema(table.schema()).build();
            DataWriter<Record> writer = writers.newDataWriter(files.newOutputFile(), table.spec(), null);
            int rows = 60_000;
            try (writer) {
                for (int n = 0; n < rows; n++) {
                    writer.write(RichRows.row(table.schema(), n));
                    if (n % 5_000 == 0) {
                        System.gc();
                        System.runFinalization();
                    }
                }
            }
            DataFile file = writer.toDataFile();
            System.gc();
            System.runFinalization();

            long read = 0;
            try (CloseableIterable<Record> records = Parquet.read(table.io().newInputFile(file.location()))
                    .project(table.schema())
                    .createReaderFunc(schema -> GenericParquetReaders.buildReader(table.schema(), schema)).build()) {
                for (Record ignored : records) {
                    read++;
                }
            }
            assertThat(read).isEqualTo(rows).isEqualTo(file.recordCount());
        }
    }
}
