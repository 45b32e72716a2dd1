package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rewrite_data_files} output sizes on real tables of many tiny Parquet files: every output file except the
 * last of each partition is at least 0.75 × the target (what health counts as not small) and at most the planner's
 * maximum output size (target + half the way to 1.8 × target), at a small (128 KiB) and a larger (4 MiB) target;
 * the rows stay the same, and health afterwards counts no small file but the remainders.
 */
class CompactionOutputSizeTest {
    private static final Logger LOG = LoggerFactory.getLogger(CompactionOutputSizeTest.class);

    @TempDir
    Path root;

    private Warehouse warehouse;

    @BeforeEach
    void open() {
        warehouse = new Warehouse(root);
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    /** Sequential ids and notes {@code "row <id>"}: about 1.5 bytes a row once encoded and compressed. */
    @Test
    void outputsOf128KiBTargetAreNotSmallWithHighlyCompressibleRows() {
        compactAndCheck("compressible", 128 * 1024L, 100, 8_000, false, "view", "click");
    }

    /** Notes of 32 random hex digits: about 25 bytes a row. */
    @Test
    void outputsOf128KiBTargetAreNotSmall() {
        compactAndCheck("small", 128 * 1024L, 100, 600, true, "view", "click");
    }

    @Test
    void outputsOf4MiBTargetAreNotSmall() {
        compactAndCheck("large", 4L * 1024 * 1024, 40, 20_000, true, "view");
    }

    /**
     * A probe closed well before the aim (as for targets above {@link MeasuredFanoutWriter#PROBE_LIMIT}) still
     * sizes the files: bytes per row barely depend on the file's length.
     */
    @Test
    void aProbeClosedBeforeTheAimStillSizesTheFiles() throws IOException {
        long target = 4L * 1024 * 1024;
        Table table = warehouse.create("probe", Warehouse.BY_KIND, Map.of());
        appendRandomNotes(table, 2, 400_000, "view");
        table = warehouse.load("probe");
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET).dataSchema(table.schema()).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 9, 1).format(FileFormat.PARQUET).build();
        PartitionKey partition = new PartitionKey(table.spec(), table.schema());
        partition.partition(Warehouse.record(table, 0, "view"));
        long max = (long) (target * 1.4);
        MeasuredFanoutWriter<Record> writer = new MeasuredFanoutWriter<>(writers, out, max,
                TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES_DEFAULT, 256 * 1024);
        try (writer; CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record row : rows) {
                writer.write(row, table.spec(), partition);
            }
        }

        List<Long> sizes = new ArrayList<>(writer.result().dataFiles().stream().map(DataFile::fileSizeInBytes)
                .sorted().toList());
        LOG.info("Target {} bytes, probe closed at 256 KiB: output sizes {}", target, sizes);
        assertThat(sizes).hasSizeGreaterThanOrEqualTo(3);
        assertThat(sizes.subList(1, sizes.size())).allSatisfy(size -> assertThat(size).isBetween((long) (target
                * 0.75), max));
        assertThat(writer.result().dataFiles().stream().mapToLong(DataFile::recordCount).sum()).isEqualTo(800_000);
    }

    /**
     * Files that span two row groups or more roll by the Parquet writer's own length (mostly flushed, real bytes),
     * with no probe: here 4 MiB files of 512 KiB row groups.
     */
    @Test
    void filesSpanningRowGroupsRollByTheirLength() {
        compactAndCheck("row_groups", 4L * 1024 * 1024, Map.of(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
                Long.toString(512 * 1024)), 40, 20_000, true, "view");
    }

    private void compactAndCheck(String name, long target, int files, int rowsPerFile, boolean randomNotes,
            String... kinds) {
        compactAndCheck(name, target, Map.of(), files, rowsPerFile, randomNotes, kinds);
    }

    private void compactAndCheck(String name, long target, Map<String, String> properties, int files,
            int rowsPerFile, boolean randomNotes, String... kinds) {
        Map<String, String> all = new java.util.HashMap<>(properties);
        all.put("snowpack.target_file_size_bytes", Long.toString(target));
        warehouse.create(name, Warehouse.BY_KIND, all);
        if (randomNotes) {
            appendRandomNotes(warehouse.load(name), files, rowsPerFile, kinds);
        } else {
            warehouse.append(warehouse.load(name), files, rowsPerFile, kinds);
        }
        Table before = warehouse.load(name);
        List<String> rows = TableOracle.rows(before);
        assertThat(rows).hasSize(files * rowsPerFile);
        TableId id = TableId.of("db", name);

        ActionResult result = IcebergMaintenanceExecutor.create(warehouse.catalog, SnowpackConfig.defaults())
                .execute(new ActionRequest(JobId.random(), id, MaintenanceAction.REWRITE_DATA_FILES, 1, 1),
                        Checkpoint.none());

        Table after = warehouse.load(name);
        assertThat(TableOracle.rows(after)).isEqualTo(rows);
        assertThat(result.metrics()).containsEntry("files_in", (long) files);
        long small = (long) (target * 0.75);
        long max = (long) (target + (target * 1.8 - target) * 0.5);
        Map<String, List<Long>> sizes = new TreeMap<>();
        for (DataFile file : Warehouse.liveDataFiles(after)) {
            sizes.computeIfAbsent(after.spec().partitionToPath(file.partition()), p -> new ArrayList<>())
                    .add(file.fileSizeInBytes());
        }
        LOG.info("Target {} bytes: output sizes per partition {}", target, sizes);
        assertThat(sizes).hasSize(kinds.length);
        for (Map.Entry<String, List<Long>> partition : sizes.entrySet()) {
            List<Long> sorted = new ArrayList<>(partition.getValue());
            sorted.sort(null);
            assertThat(sorted).as("files of %s", partition.getKey()).hasSizeGreaterThanOrEqualTo(3);
            assertThat(sorted.subList(1, sorted.size())).as("every file of %s but the remainder", partition.getKey())
                    .allSatisfy(size -> assertThat(size).isBetween(small, max));
            assertThat(sorted.get(0)).as("the remainder of %s", partition.getKey()).isLessThanOrEqualTo(max);
        }
        TableHealth health = IcebergTableSource.create(warehouse.catalog, SnowpackConfig.defaults()).health(id);
        assertThat(health.smallFiles()).as("only the remainders are small").isLessThanOrEqualTo(kinds.length);
        assertThat(health.reasons()).noneMatch(r -> r.startsWith("rewrite_data_files:"));
    }

    /** One snapshot of {@code files} files of {@code rows} rows whose notes are random; kinds cycle. */
    private static void appendRandomNotes(Table table, int files, int rows, String... kinds) {
        Random random = new Random(files * 31L + rows);
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET).dataSchema(table.schema()).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PARQUET)
                .build();
        AppendFiles append = table.newAppend();
        long id = 0;
        for (int f = 0; f < files; f++) {
            String kind = kinds[f % kinds.length];
            PartitionKey partition = new PartitionKey(table.spec(), table.schema());
            partition.partition(Warehouse.record(table, 0, kind));
            DataWriter<Record> writer = writers.newDataWriter(out.newOutputFile(partition), table.spec(), partition);
            try (writer) {
                for (int r = 0; r < rows; r++) {
                    GenericRecord row = Warehouse.record(table, id++, kind);
                    row.setField("note", Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
                    writer.write(row);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            append.appendFile(writer.toDataFile());
        }
        append.commit();
    }
}
