package io.snowpack.benchmarks.spark;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.iceberg.IcebergMaintenanceExecutor;
import io.snowpack.spark.SparkMaintenanceExecutor;
import io.snowpack.spark.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.SparkSession;
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
 * Plain-Java against Spark compaction of the same table (issue 16 item 5). A trial writes one table once: {@code rows}
 * rows of four columns in {@code files} small Parquet files spread over {@code partitions} identity partitions
 * (format v2, a {@code JdbcCatalog} on in-memory H2, a warehouse in a temporary directory, Iceberg's generic
 * writers). Each operation is one {@code rewrite_data_files} of that table through a Snowpack executor:
 * <ul>
 *   <li>{@code local}: {@link IcebergMaintenanceExecutor}, the plain-Java engine (one thread);</li>
 *   <li>{@code spark}: {@link SparkMaintenanceExecutor} on a {@code local[*]} session started once per trial
 *       (Iceberg's Spark actions, one file group per partition, several groups at once).</li>
 * </ul>
 * Before every operation, outside the measured time, the table is rolled back to the snapshot before compaction,
 * so each operation rewrites the same {@code files} files (checked: every operation must report them all as
 * rewritten). Single-shot mode: the score is seconds per compaction; each trial also prints, and appends to
 * {@code spark-compaction-results.tsv} (system property {@code sparkbench.results}), rows/s and MB/s of input,
 * which {@link SparkCompactionReport} turns into a table.
 *
 * <pre>
 * ./mvnw -o -B -q package -pl benchmarks/spark -am -DskipTests
 * cd benchmarks/spark/target
 * java -jar benchmarks-spark.jar SparkCompactionBenchmark -f 1 -wi 1 -i 5 -rf json -rff spark.json
 * java -cp benchmarks-spark.jar io.snowpack.benchmarks.spark.SparkCompactionReport
 * </pre>
 * Figures and the crossover: {@code benchmarks/spark/RESULTS.md}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED"})
@Warmup(iterations = 1)
@Measurement(iterations = 5)
public class SparkCompactionBenchmark {
    /** The TSV file each trial appends its line to. */
    public static final String RESULTS_PROPERTY = "sparkbench.results";
    static final String RESULTS_DEFAULT = "spark-compaction-results.tsv";
    static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "category", Types.StringType.get()),
            Types.NestedField.required(3, "amount", Types.DoubleType.get()),
            Types.NestedField.optional(4, "note", Types.StringType.get()));
    static final TableId TABLE = TableId.of("bench", "events");

    /** One table and one executor per trial; the table goes back to its small files before every operation. */
    @State(Scope.Benchmark)
    public static class Compaction {
        /** Rows in the table. */
        @Param({"250000", "1000000", "2000000", "4000000", "16000000"})
        public long rows;

        /** {@code local} (plain Java) or {@code spark}. */
        @Param({"local", "spark"})
        public String engine;

        /** Small input files, spread evenly over the partitions. */
        @Param("40")
        public int files;

        /** Identity partitions on {@code category}: one file group each, which Spark rewrites concurrently. */
        @Param("4")
        public int partitions;

        /** Spark's master: {@code local[*]} is every core of this machine. */
        @Param("local[*]")
        public String master;

        Path warehouse;
        JdbcCatalog catalog;
        SparkSession spark;
        MaintenanceExecutor executor;
        long smallFilesSnapshot;
        long inputBytes;
        int operations;
        double totalSeconds;
        double minSeconds = Double.MAX_VALUE;
        double maxSeconds;
        String lastMessage;
        final java.util.List<Double> opSeconds = new java.util.ArrayList<>();

        @Setup(Level.Trial)
        public void start() throws IOException {
            warehouse = Files.createTempDirectory("snowpack-spark-bench");
            // lower-case identifiers, as in snowpack-spark's tests; a fresh database per trial
            String uri = "jdbc:h2:mem:sparkbench_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
            catalog = new JdbcCatalog();
            catalog.initialize("bench", Map.of(CatalogProperties.URI, uri,
                    CatalogProperties.WAREHOUSE_LOCATION, warehouse.toUri().toString(),
                    "jdbc.schema-version", "V1", CatalogProperties.CACHE_ENABLED, "false"));
            catalog.createNamespace(Namespace.of(TABLE.database()));
            PartitionSpec spec = partitions > 1
                    ? PartitionSpec.builderFor(SCHEMA).identity("category").build()
                    : PartitionSpec.unpartitioned();
            Table table = catalog.createTable(TableIdentifier.of(TABLE.database(), TABLE.table()), SCHEMA, spec,
                    Map.of("format-version", "2"));
            inputBytes = write(table, rows, files, partitions);
            smallFilesSnapshot = catalog.loadTable(identifier()).currentSnapshot().snapshotId();
            executor = switch (engine) {
                case "local" -> IcebergMaintenanceExecutor.builder(catalog).build();
                case "spark" -> {
                    spark = session(master);
                    yield SparkMaintenanceExecutor.builder(catalog, spark).build();
                }
                default -> throw new IllegalArgumentException("engine must be local or spark, not " + engine);
            };
        }

        /** Back to the small files, outside the measured time. */
        @Setup(Level.Invocation)
        public void rollBack() {
            Table table = catalog.loadTable(identifier());
            if (table.currentSnapshot().snapshotId() != smallFilesSnapshot) {
                table.manageSnapshots().rollbackTo(smallFilesSnapshot).commit();
            }
        }

        /** Runs one compaction and checks it rewrote every small file; returns its seconds. */
        public double compact() {
            long begin = System.nanoTime();
            ActionResult result = executor.execute(new ActionRequest(JobId.random(), TABLE,
                    MaintenanceAction.REWRITE_DATA_FILES, 1, 1), Checkpoint.none());
            double seconds = (System.nanoTime() - begin) / 1e9;
            if (!result.success()) {
                throw new IllegalStateException(engine + " compaction failed: " + result.error());
            }
            Long filesIn = result.metrics().get("files_in");
            Snapshot current = catalog.loadTable(identifier()).currentSnapshot();
            if (filesIn == null || filesIn != files || current.snapshotId() == smallFilesSnapshot) {
                throw new IllegalStateException(engine + " compaction rewrote " + filesIn + " of " + files
                        + " files: " + result.message());
            }
            long rowsAfter = Long.parseLong(current.summary().getOrDefault("total-records", "-1"));
            if (rowsAfter != rows) {
                throw new IllegalStateException(rowsAfter + " rows after the compaction, not " + rows);
            }
            lastMessage = result.message();
            operations++;
            totalSeconds += seconds;
            minSeconds = Math.min(minSeconds, seconds);
            maxSeconds = Math.max(maxSeconds, seconds);
            opSeconds.add(seconds);
            return seconds;
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            try {
                report();
            } finally {
                if (spark != null) {
                    spark.stop();
                }
                catalog.close();
                delete(warehouse);
            }
        }

        /**
         * Prints this trial's figures and appends them to the results file. Every operation counts, warm-up
         * included, in the mean printed here (JMH's own score leaves the warm-up out); the minimum is the least
         * disturbed figure.
         */
        void report() throws IOException {
            if (operations == 0) {
                return;
            }
            double mean = totalSeconds / operations;
            double mb = inputBytes / 1e6;
            System.out.printf(Locale.ROOT, "%n%s: %,d rows in %d files over %d partitions, %.1f MB in; %d ops, mean"
                    + " %.3f s (min %.3f, max %.3f) = %,.0f rows/s, %.2f MB/s; %s%n", engine, rows, files, partitions,
                    mb, operations, mean, minSeconds, maxSeconds, rows / mean, mb / mean, lastMessage);
            String line = String.join("\t", engine, master, Long.toString(rows), Integer.toString(files),
                    Integer.toString(partitions), Long.toString(inputBytes), Integer.toString(operations),
                    String.format(Locale.ROOT, "%.4f", mean), String.format(Locale.ROOT, "%.4f", minSeconds),
                    String.format(Locale.ROOT, "%.4f", maxSeconds), Integer.toString(
                            Runtime.getRuntime().availableProcessors()), opSeconds.stream()
                            .map(v -> String.format(Locale.ROOT, "%.4f", v))
                            .collect(java.util.stream.Collectors.joining(","))) + "\n";
            Files.writeString(Paths.get(System.getProperty(RESULTS_PROPERTY, RESULTS_DEFAULT)), line,
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        TableIdentifier identifier() {
            return TableIdentifier.of(TABLE.database(), TABLE.table());
        }
    }

    @Benchmark
    public double compaction(Compaction state) {
        return state.compact();
    }

    /** A {@code master} session, as a worker's would be (no UI, loopback only), warmed up by one small job. */
    static SparkSession session(String master) {
        Map<String, String> environment = new HashMap<>();
        environment.put("SNOWPACK_SPARK_MASTER", master);
        environment.put("SNOWPACK_SPARK_APP_NAME", "snowpack-compaction-benchmark");
        environment.put("SNOWPACK_SPARK_UI_ENABLED", "false");
        environment.put("SNOWPACK_SPARK_DRIVER_HOST", "127.0.0.1");
        environment.put("SNOWPACK_SPARK_SQL_SHUFFLE_PARTITIONS", "4");
        environment.put("SNOWPACK_SPARK_CONF_1", "spark.driver.bindAddress=127.0.0.1");
        SparkSession spark = SparkSessions.fromEnvironment(environment);
        // the first job of a session loads and compiles a lot: keep it out of the first operation
        spark.range(0, 100_000, 1, 2).selectExpr("sum(id)").collect();
        return spark;
    }

    /**
     * Writes {@code rows} rows in {@code files} Parquet files, file {@code f} in partition {@code f % partitions},
     * in one append; returns their total bytes.
     */
    static long write(Table table, long rows, int files, int partitions) {
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET).dataSchema(SCHEMA).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET).build();
        AppendFiles append = table.newAppend();
        long bytes = 0;
        long id = 0;
        for (int f = 0; f < files; f++) {
            long end = rows * (f + 1) / files;
            String category = "c" + (f % partitions);
            PartitionKey partition = null;
            if (table.spec().isPartitioned()) {
                partition = new PartitionKey(table.spec(), table.schema());
                GenericRecord sample = GenericRecord.create(SCHEMA);
                sample.setField("category", category);
                partition.partition(sample);
            }
            DataWriter<Record> writer = writers.newDataWriter(
                    partition == null ? out.newOutputFile() : out.newOutputFile(partition), table.spec(), partition);
            try (writer) {
                GenericRecord record = GenericRecord.create(SCHEMA);
                for (; id < end; id++) {
                    record.setField("id", id);
                    record.setField("category", category);
                    record.setField("amount", (mix(id) & 0xFFFFF) * 0.01);
                    record.setField("note", "note-" + Long.toHexString(mix(~id)));
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
