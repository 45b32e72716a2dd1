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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;

/**
 * What verified maintenance costs: compacts a real table (Parquet files on the local disk, a JDBC catalog on H2)
 * twice, once with only the pre-commit invariants (always on) and once with the read-back check
 * ({@code snowpack.verify_after_commit=true}) as well, and prints the time of the whole action beside the time of
 * each verification phase, as the {@code snowpack.verification.duration} timers recorded it.
 *
 * <pre>
 * java -Dfiles=200 -Drows=5000 -cp benchmarks/target/benchmarks.jar io.snowpack.benchmarks.VerificationCostRun
 * </pre>
 *
 * System properties: {@code files} (small input files, default 200), {@code rows} (rows per file, default 5000),
 * {@code partitions} (partitions the files spread over, default 4), {@code spec} ({@code identity} on a string
 * column, checked from column bounds, or {@code bucket}, checked by reading the source column back; default
 * {@code identity}).
 */
public final class VerificationCostRun {
    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "category", Types.StringType.get()),
            Types.NestedField.optional(3, "ts", Types.TimestampType.withZone()),
            Types.NestedField.optional(4, "amount", Types.DoubleType.get()),
            Types.NestedField.optional(5, "payload", Types.StringType.get()));

    private VerificationCostRun() {
    }

    public static void main(String[] args) throws IOException {
        int files = Integer.getInteger("files", 200);
        int rows = Integer.getInteger("rows", 5000);
        int partitions = Integer.getInteger("partitions", 4);
        boolean bucket = "bucket".equals(System.getProperty("spec", "identity"));
        System.out.printf(Locale.ROOT, "%d files x %d rows over %d %s partitions (%,d rows)%n", files, rows,
                partitions, bucket ? "bucket(id)" : "identity(category)", (long) files * rows);
        System.out.printf(Locale.ROOT, "%-22s %10s %12s %12s %10s%n", "run", "action s", "pre-commit s",
                "read-back s", "overhead");
        for (boolean readBack : new boolean[] {false, true}) {
            Path dir = Files.createTempDirectory("snowpack-verification-cost");
            try {
                run(dir, files, rows, partitions, bucket, readBack);
            } finally {
                delete(dir);
            }
        }
    }

    private static void run(Path dir, int files, int rows, int partitions, boolean bucket, boolean readBack) {
        JdbcCatalog catalog = new JdbcCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize("bench", Map.of(
                CatalogProperties.URI, "jdbc:h2:mem:verification_" + readBack + ";DB_CLOSE_DELAY=-1",
                CatalogProperties.WAREHOUSE_LOCATION, dir.toUri().toString(),
                CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO",
                "jdbc.schema-version", "V1"));
        catalog.createNamespace(Namespace.of("bench"));
        Table table = catalog.createTable(TableIdentifier.of("bench", "events"), SCHEMA,
                bucket ? PartitionSpec.builderFor(SCHEMA).bucket("id", partitions).build()
                        : PartitionSpec.builderFor(SCHEMA).identity("category").build(),
                Map.of("format-version", "2", "snowpack.verify_after_commit", Boolean.toString(readBack),
                        "snowpack.partial_progress_max_commits", "1"));
        write(table, files, rows, partitions, bucket);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IcebergMaintenanceExecutor executor = IcebergMaintenanceExecutor.builder(catalog).meterRegistry(registry)
                .build();
        ActionResult result = executor.execute(new ActionRequest(JobId.random(), TableId.of("bench", "events"),
                MaintenanceAction.REWRITE_DATA_FILES, 1, 1), Checkpoint.none());
        double preCommit = seconds(registry, "pre_commit");
        double readBackSeconds = seconds(registry, "read_back");
        double action = result.elapsedSeconds();
        double overhead = (preCommit + readBackSeconds) / (action - preCommit - readBackSeconds);
        System.out.printf(Locale.ROOT, "%-22s %10.2f %12.3f %12.3f %9.1f%%   (%s)%n",
                readBack ? "with read-back" : "pre-commit only", action, preCommit, readBackSeconds,
                overhead * 100, result.message());
        catalog.close();
    }

    private static double seconds(SimpleMeterRegistry registry, String phase) {
        return registry.find("snowpack.verification.duration").tag("phase", phase).timers().stream()
                .mapToDouble(t -> t.totalTime(TimeUnit.NANOSECONDS) / 1e9).sum();
    }

    private static void write(Table table, int files, int rows, int partitions, boolean bucket) {
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET).dataSchema(SCHEMA).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET).build();
        AppendFiles append = table.newAppend();
        OffsetDateTime base = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        long id = 0;
        for (int f = 0; f < files; f++) {
            String category = "c" + (f % partitions);
            PartitionKey key = new PartitionKey(table.spec(), SCHEMA);
            List<GenericRecord> batch = new ArrayList<>();
            for (int r = 0; r < rows; r++, id++) {
                GenericRecord record = GenericRecord.create(SCHEMA);
                record.setField("id", bucket ? id * partitions + f % partitions : id);
                record.setField("category", category);
                record.setField("ts", base.plusSeconds(id));
                record.setField("amount", id * 0.25);
                record.setField("payload", "payload of row " + id);
                batch.add(record);
            }
            Map<PartitionKey, List<GenericRecord>> byPartition = new java.util.LinkedHashMap<>();
            for (GenericRecord record : batch) {
                key.partition(record);
                byPartition.computeIfAbsent(key.copy(), k -> new ArrayList<>()).add(record);
            }
            for (Map.Entry<PartitionKey, List<GenericRecord>> part : byPartition.entrySet()) {
                DataWriter<org.apache.iceberg.data.Record> writer =
                        writers.newDataWriter(out.newOutputFile(part.getKey()), table.spec(), part.getKey());
                try (writer) {
                    part.getValue().forEach(writer::write);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                append.appendFile(writer.toDataFile());
            }
        }
        append.commit();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
