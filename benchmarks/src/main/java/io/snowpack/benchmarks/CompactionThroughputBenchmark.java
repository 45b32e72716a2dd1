package io.snowpack.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.iceberg.IcebergMaintenanceExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compaction throughput against the floor (issue 15 item 4). Each operation compacts the same freshly written,
 * unpartitioned table of {@code files} small Parquet files (local disk, a {@code JdbcCatalog} on H2, as in
 * {@link VerificationCostRun}) into one file:
 * <ul>
 *   <li>{@code snowpack}: {@code IcebergMaintenanceExecutor} {@code rewrite_data_files} with default settings and
 *       verification as shipped (pre-commit invariants on, read-back off), plan + rewrite + verify + commit;</li>
 *   <li>{@code floor}: the same rows read with Iceberg's generic reader ({@code IcebergGenerics}) and written with
 *       {@code GenericFileWriterFactory} into one Parquet file; no planning, no checks, no commit.</li>
 * </ul>
 * The score is seconds per compaction; at the end of each trial the run prints rows/s and MB/s of input (and for
 * {@code snowpack} the action's own time and its pre-commit verification time). Snowpack / floor is the ratio of the
 * two rows/s figures.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CompactionThroughputBenchmark -wi 1 -i 3 -f 1
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class CompactionThroughputBenchmark {
    static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "category", Types.StringType.get()),
            Types.NestedField.optional(3, "ts", Types.TimestampType.withZone()),
            Types.NestedField.optional(4, "amount", Types.DoubleType.get()),
            Types.NestedField.optional(5, "payload", Types.StringType.get()));

    /** A fresh table of small files for every operation, built outside the measured time. */
    @State(Scope.Benchmark)
    public static class SmallFiles {
        /** Small input files. */
        @Param("200")
        public int files;

        /** Rows per input file. */
        @Param("5000")
        public int rows;

        /** {@code snowpack.verify_after_commit} on the table: {@code false} as shipped. */
        @Param("false")
        public boolean readBack;

        Path dir;
        JdbcCatalog catalog;
        Table table;
        long inputBytes;
        long outputBytes;
        int tables;
        double opSeconds;
        double actionSeconds;
        double preCommitSeconds;
        double readBackSeconds;
        int measured;
        SimpleMeterRegistry registry;
        String message;

        @Setup(Level.Invocation)
        public void build() throws IOException {
            dir = Files.createTempDirectory("snowpack-compaction-bench");
            catalog = new JdbcCatalog();
            catalog.setConf(new Configuration());
            catalog.initialize("bench", Map.of(
                    CatalogProperties.URI, "jdbc:h2:mem:compaction_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                    CatalogProperties.WAREHOUSE_LOCATION, dir.toUri().toString(),
                    CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO",
                    "jdbc.schema-version", "V1"));
            catalog.createNamespace(Namespace.of("bench"));
            table = catalog.createTable(TableIdentifier.of("bench", "events"), SCHEMA, PartitionSpec.unpartitioned(),
                    Map.of("format-version", "2", "snowpack.verify_after_commit", Boolean.toString(readBack)));
            inputBytes = write(table, files, rows);
            registry = new SimpleMeterRegistry();
            tables++;
        }

        @TearDown(Level.Invocation)
        public void drop() throws IOException {
            catalog.close();
            delete(dir);
        }

        void record(String method, double seconds) {
            // The first operation of a trial is the warm-up (-wi 1): only later ones count in the printed means.
            if (tables > 1) {
                measured++;
                opSeconds += seconds;
            }
        }

        @TearDown(Level.Trial)
        public void report() {
            if (measured == 0) {
                return;
            }
            long totalRows = (long) files * rows;
            double seconds = opSeconds / measured;
            System.out.printf(Locale.ROOT, "%n%,d rows in %d files, %.1f MB in, %.1f MB out; mean of %d ops: %.3f s"
                    + " = %,.0f rows/s, %.2f MB/s (input bytes)%n", totalRows, files, inputBytes / 1e6,
                    outputBytes / 1e6, measured, seconds, totalRows / seconds, inputBytes / 1e6 / seconds);
            if (message != null) {
                System.out.printf(Locale.ROOT, "snowpack action (elapsedSeconds) %.3f s, pre-commit checks %.4f s,"
                        + " read-back %.4f s (means); %s%n", actionSeconds / measured, preCommitSeconds / measured,
                        readBackSeconds / measured, message);
            }
        }
    }

    @Benchmark
    public ActionResult snowpack(SmallFiles state) {
        long begin = System.nanoTime();
        IcebergMaintenanceExecutor executor = IcebergMaintenanceExecutor.builder(state.catalog)
                .meterRegistry(state.registry).build();
        ActionResult result = executor.execute(new ActionRequest(JobId.random(), TableId.of("bench", "events"),
                MaintenanceAction.REWRITE_DATA_FILES, 1, 1), Checkpoint.none());
        double seconds = (System.nanoTime() - begin) / 1e9;
        if (!result.success()) {
            throw new IllegalStateException("compaction failed: " + result.error());
        }
        state.record("snowpack", seconds);
        if (state.tables > 1) {
            state.actionSeconds += result.elapsedSeconds();
            state.preCommitSeconds += timer(state.registry, "pre_commit");
            state.readBackSeconds += timer(state.registry, "read_back");
        }
        state.message = result.message();
        Table after = state.catalog.loadTable(TableIdentifier.of("bench", "events"));
        state.outputBytes = Long.parseLong(after.currentSnapshot().summary().getOrDefault("total-files-size", "0"));
        return result;
    }

    @Benchmark
    public DataFile floor(SmallFiles state) {
        long begin = System.nanoTime();
        Table table = state.table;
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET).dataSchema(table.schema()).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 2, 1).format(FileFormat.PARQUET).build();
        DataWriter<Record> writer = writers.newDataWriter(out.newOutputFile(), table.spec(), null);
        try (writer; CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record row : rows) {
                writer.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DataFile file = writer.toDataFile();
        double seconds = (System.nanoTime() - begin) / 1e9;
        if (file.recordCount() != (long) state.files * state.rows) {
            throw new IllegalStateException(file.recordCount() + " rows written");
        }
        state.record("floor", seconds);
        state.outputBytes = file.fileSizeInBytes();
        return file;
    }

    private static double timer(SimpleMeterRegistry registry, String phase) {
        return registry.find("snowpack.verification.duration").tag("phase", phase).timers().stream()
                .mapToDouble(t -> t.totalTime(TimeUnit.NANOSECONDS) / 1e9).sum();
    }

    /** Writes {@code files} Parquet files of {@code rows} rows each in one append; returns their total bytes. */
    static long write(Table table, int files, int rows) {
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET).dataSchema(SCHEMA).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET).build();
        AppendFiles append = table.newAppend();
        OffsetDateTime base = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        long bytes = 0;
        long id = 0;
        for (int f = 0; f < files; f++) {
            DataWriter<Record> writer = writers.newDataWriter(out.newOutputFile(), table.spec(), null);
            try (writer) {
                for (int r = 0; r < rows; r++, id++) {
                    GenericRecord record = GenericRecord.create(SCHEMA);
                    record.setField("id", id);
                    record.setField("category", "c" + (id % 16));
                    record.setField("ts", base.plusSeconds(id));
                    record.setField("amount", id * 0.25);
                    record.setField("payload", payload(id));
                    writer.write(record);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            DataFile file = writer.toDataFile();
            bytes += file.fileSizeInBytes();
            append.appendFile(file);
        }
        append.commit();
        return bytes;
    }

    /** A 64-character payload that does not compress away (four mixed 64-bit values in hex): ~40 MB in all. */
    private static String payload(long id) {
        return Long.toHexString(mix(id)) + Long.toHexString(mix(~id))
                + Long.toHexString(mix(id + 0x9e3779b97f4a7c15L)) + Long.toHexString(mix(id ^ 0x5851f42d4c957f2dL));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
