package io.snowpack.benchmarks;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.health.HealthSync;
import io.snowpack.core.health.SyncReport;
import io.snowpack.core.model.OrchestratorRun;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.orchestrator.Orchestrator;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.iceberg.IcebergTableSource;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.SnowpackSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.iceberg.hadoop.HadoopCatalog;

/**
 * Health sync and the orchestrator at scale (issue 17), in one process on embedded PostgreSQL: {@code tables}
 * synthetic tables ({@link SyntheticTableSource}, each health costing {@code latency}) in {@code databases}
 * databases, plus one real Iceberg table with {@code manifests} manifests ({@link WideTable}) in database
 * {@value WideTable#DATABASE}. It measures
 * <ul>
 *   <li>the wide table's health read alone, its manifests one after another and in parallel (median of 3);</li>
 *   <li>two full health-sync passes (the first inserts every table, the second updates them): seconds, tables
 *       synced, and the live heap (largest heap occupancy after a GC during the pass, {@link HeapWatch});</li>
 *   <li>one orchestrator run over the synced cache: seconds, tables assessed, jobs submitted;</li>
 *   <li>{@code GET /tables} over HTTP ({@link SnowpackHttpServer}) listing every table, following the
 *       {@code Snowpack-Next} cursor with the default page size: seconds, pages and tables for one listing alone,
 *       then for {@code bench.scale.listings} (8) concurrent listings, with the live heap.</li>
 * </ul>
 * {@code -Dbench.scale.mode=before} measures the path as it was before issue 17 on the same code: one database per
 * pass (the per-database barrier) and {@code health_sync.manifest_concurrency=1}. Settings, as system properties:
 * {@code bench.scale.tables} (10000), {@code bench.scale.databases} (20), {@code bench.scale.manifests} (5000),
 * {@code bench.scale.files-per-manifest} (20), {@code bench.scale.latency-ms} (2), {@code bench.scale.concurrency}
 * (10, {@code health_sync.concurrency}), {@code bench.scale.manifest-concurrency} (4), {@code bench.scale.mode}
 * (after), {@code bench.scale.reps} (3, reads of the wide table alone), {@code bench.scale.manifest-latency-ms} (0,
 * an object store's latency added to each manifest read), {@code bench.scale.warehouse} (a directory to keep the wide table in and reuse on the next run; default
 * a temporary one, deleted). Figures go to standard output and {@code benchmarks/target/scale/health-sync-<tables>-<mode>.txt}.
 *
 * <pre>{@code
 * ./mvnw -o -B -q package -pl benchmarks -am -DskipTests
 * java -Xmx128m -cp benchmarks/target/benchmarks.jar io.snowpack.benchmarks.HealthSyncScaleRun
 * java -Xmx128m -Dbench.scale.mode=before -cp benchmarks/target/benchmarks.jar io.snowpack.benchmarks.HealthSyncScaleRun
 * }</pre>
 */
public final class HealthSyncScaleRun {
    private HealthSyncScaleRun() {
    }

    /** What to measure. */
    record Settings(int tables, int databases, int manifests, int filesPerManifest, Duration latency,
            int concurrency, int manifestConcurrency, boolean before, int reps) {

        static Settings fromSystemProperties() {
            return new Settings(Integer.getInteger("bench.scale.tables", 10_000),
                    Integer.getInteger("bench.scale.databases", 20),
                    Integer.getInteger("bench.scale.manifests", 5_000),
                    Integer.getInteger("bench.scale.files-per-manifest", 20),
                    Duration.ofMillis(Integer.getInteger("bench.scale.latency-ms", 2)),
                    Integer.getInteger("bench.scale.concurrency", 10),
                    Integer.getInteger("bench.scale.manifest-concurrency", 4),
                    "before".equalsIgnoreCase(System.getProperty("bench.scale.mode", "after")),
                    Integer.getInteger("bench.scale.reps", 3));
        }

        String mode() {
            return before ? "before" : "after";
        }
    }

    public static void main(String[] args) throws IOException {
        Settings settings = Settings.fromSystemProperties();
        Map<String, Object> figures = run(settings, BenchDatabases.postgres());
        String text = figures.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        System.out.print(text);
        Path out = Path.of("benchmarks", "target", "scale");
        if (!Files.isDirectory(Path.of("benchmarks"))) {
            out = Path.of("target", "scale");
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("health-sync-" + settings.tables() + "-" + settings.mode() + ".txt"), text);
        System.exit(0); // the embedded PostgreSQL's shutdown hook stops it
    }

    /** Runs every measurement on {@code dataSource} (a fresh schema) and returns the figures, in order. */
    static Map<String, Object> run(Settings s, DataSource dataSource) throws IOException {
        Map<String, Object> figures = new LinkedHashMap<>();
        String kept = System.getProperty("bench.scale.warehouse");
        Path dir = kept != null ? Files.createDirectories(Path.of(kept)) : Files.createTempDirectory("snowpack-scale");
        try (HeapWatch heap = new HeapWatch()) {
            int perDatabase = Math.max(1, s.tables() / s.databases());
            figures.put("mode", s.mode());
            figures.put("heap_max_mib", Runtime.getRuntime().maxMemory() >> 20);
            figures.put("synthetic_tables", perDatabase * s.databases());
            figures.put("databases", s.databases() + 1);
            figures.put("latency_ms_per_table", s.latency().toMillis());
            figures.put("wide_table_manifests", s.manifests());
            figures.put("wide_table_data_files", (long) s.manifests() * s.filesPerManifest());
            figures.put("manifest_latency_ms", Integer.getInteger(ObjectStoreLatencyFileIO.PROPERTY, 0));
            figures.put("health_sync_concurrency", s.concurrency());
            int manifestConcurrency = s.before() ? 1 : s.manifestConcurrency();
            figures.put("manifest_concurrency", manifestConcurrency);

            long buildStart = System.nanoTime();
            HadoopCatalog catalog = WideTable.open(dir.resolve("warehouse"), s.manifests(), s.filesPerManifest());
            figures.put("wide_table_open_s", seconds(buildStart));

            SyntheticTableSource probe = new SyntheticTableSource(s.databases(), perDatabase, s.latency());
            List<String> databases = new ArrayList<>(probe.databases());
            databases.add(WideTable.DATABASE);
            databases.sort(Comparator.naturalOrder());
            SnowpackConfig config = SnowpackConfig.builder().healthSyncConcurrency(s.concurrency())
                    .healthSyncManifestConcurrency(manifestConcurrency).healthSyncDatabases(databases)
                    .orchestratorIncludeDatabases(databases).build();
            SyntheticTableSource source = new SyntheticTableSource(s.databases(), perDatabase, s.latency())
                    .withDatabase(WideTable.DATABASE, IcebergTableSource.create(catalog, config));

            wideTableAlone(catalog, s, figures);

            String schema = "bench_scale_" + System.nanoTime();
            SnowpackSchema.migrate(dataSource, schema);
            SnowpackStore store = JdbcStore.builder(dataSource).schema(schema).build();
            for (int pass = 1; pass <= 2; pass++) {
                heap.reset();
                long start = System.nanoTime();
                int synced = s.before() ? passPerDatabase(store, source, config, databases) : HealthSync.builder()
                        .store(store).source(source).config(config).build().runOnce().tablesSynced();
                figures.put("pass" + pass + "_s", seconds(start));
                figures.put("pass" + pass + "_tables_synced", synced);
                figures.put("pass" + pass + "_live_heap_mib", round(heap.maxLiveMib()));
                figures.put("pass" + pass + "_gcs", heap.collections());
            }
            figures.put("cache_table_count", store.tables().status().tableCount());

            heap.reset();
            long start = System.nanoTime();
            OrchestratorRun run = Orchestrator.builder().store(store).config(config).leader(() -> true, "bench")
                    .build().runOnce().orElseThrow(() -> new IllegalStateException("the orchestrator did not run"));
            figures.put("orchestrator_s", seconds(start));
            figures.put("orchestrator_tables_assessed", run.tablesAssessed());
            figures.put("orchestrator_jobs_submitted", run.jobsSubmitted());
            figures.put("orchestrator_live_heap_mib", round(heap.maxLiveMib()));
            TableListings.measure(store, Integer.getInteger("bench.scale.listings", 8), heap, figures);
            store.close();
        } finally {
            if (kept == null) {
                delete(dir);
            }
        }
        return figures;
    }

    /**
     * The wide table's health alone: manifests one after another, then in parallel; the median of {@code reps}
     * reads each, after one warm-up read when {@code reps > 1}.
     */
    private static void wideTableAlone(HadoopCatalog catalog, Settings s, Map<String, Object> figures) {
        TableId wide = TableId.of(WideTable.DATABASE, WideTable.TABLE);
        TableHealth sequential = null;
        TableHealth parallel = null;
        for (int concurrency : new int[] {1, s.manifestConcurrency()}) {
            IcebergTableSource source = IcebergTableSource.create(catalog,
                    SnowpackConfig.builder().healthSyncManifestConcurrency(concurrency).build());
            if (s.reps() > 1) {
                source.health(wide); // warm-up
            }
            List<Double> times = new ArrayList<>();
            TableHealth health = null;
            for (int i = 0; i < s.reps(); i++) {
                long start = System.nanoTime();
                health = source.health(wide);
                times.add(seconds(start));
            }
            times.sort(Comparator.naturalOrder());
            figures.put("wide_table_health_s_manifest_concurrency_" + concurrency, times.get(times.size() / 2));
            if (concurrency == 1) {
                sequential = health;
            } else {
                parallel = health;
            }
        }
        boolean same = sequential.toBuilder().syncedAt(parallel.syncedAt()).reasons(parallel.reasons()).build()
                .equals(parallel);
        figures.put("wide_table_parallel_equals_sequential", same);
        figures.put("wide_table_data_files_measured", parallel.dataFiles());
    }

    /** The old shape of a pass: one database after another, each finished before the next starts. */
    private static int passPerDatabase(SnowpackStore store, SyntheticTableSource source, SnowpackConfig config,
            List<String> databases) {
        int synced = 0;
        for (String database : databases) {
            SnowpackConfig one = config.toBuilder().healthSyncDatabases(List.of(database))
                    .orchestratorIncludeDatabases(List.of()).build();
            SyncReport report = HealthSync.builder().store(store).source(source).config(one).build().runOnce();
            synced += report.tablesSynced();
        }
        return synced;
    }

    private static double seconds(long startNanos) {
        return round((System.nanoTime() - startNanos) / 1e9);
    }

    private static double round(double value) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.2f", value));
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }
}
