package io.snowpack.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.Counts;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import io.snowpack.http.HttpSettings;
import io.snowpack.http.SnowpackHttp;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.SnowpackSchema;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The quickstart on the embedded default: everything in one process, state in an H2 file database and a local
 * Iceberg warehouse under {@code ./snowpack-data/} (created if missing, reused on the next run). It creates the
 * demo tables, prints their health, starts the API on 127.0.0.1:8080 ({@code SNOWPACK_HTTP_PORT} overrides), a
 * worker, the sweeper, health sync and the orchestrator with short intervals, waits until the orchestrator has
 * compacted {@code demo.events}, prints the health again and the curl commands to try, and serves until Ctrl-C.
 */
public final class Quickstart implements AutoCloseable {
    /** The demo tables, in the order they are printed. */
    static final List<TableId> TABLES = List.of(TableId.parse("demo.events"), TableId.parse("demo.orders"),
            TableId.parse("demo.clicks"));
    static final TableId EVENTS = TABLES.get(0);

    private final JdbcCatalog catalog;
    private final HikariDataSource dataSource;
    private final SnowpackStore store;
    private final TableSource tableSource;
    private final SnowpackRuntime runtime;
    /** When this quickstart started its roles: jobs submitted before are an earlier run's. */
    private final Instant startedAt;
    private boolean closed;

    private Quickstart(JdbcCatalog catalog, HikariDataSource dataSource, SnowpackStore store, TableSource source,
            SnowpackRuntime runtime, Instant startedAt) {
        this.catalog = catalog;
        this.dataSource = dataSource;
        this.store = store;
        this.tableSource = source;
        this.runtime = runtime;
        this.startedAt = startedAt;
    }

    public static void main(String[] args) throws Exception {
        ProcessSetup.jdkHttpServerNoDelay();
        Path dataDirectory = Path.of(Optional.ofNullable(System.getenv("SNOWPACK_DATA_DIR")).orElse("snowpack-data"));
        PrintStream out = System.out;
        try (Quickstart quickstart = start(dataDirectory, SnowpackConfig.fromEnvironment(),
                HttpSettings.fromEnvironment(), out)) {
            Runtime.getRuntime().addShutdownHook(new Thread(quickstart::close, "snowpack-shutdown"));
            Optional<Job> compacted = quickstart.awaitEventsMaintained(Duration.ofMinutes(3));
            out.println("\n" + quickstart.outcome(compacted) + " Health now:\n");
            out.print(HealthTable.format(quickstart.liveHealth()));
            out.println(tour(quickstart.port()));
            quickstart.runtime.awaitShutdown();
        }
    }

    /**
     * Opens (or creates) the data under {@code dataDirectory}, ensures the demo tables, prints their health and
     * starts every role. {@code config}'s database lists and intervals are replaced by the demo's.
     */
    public static Quickstart start(Path dataDirectory, SnowpackConfig config, HttpSettings http, PrintStream out) {
        Path root = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root.resolve("warehouse"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + root, e);
        }
        JdbcCatalog catalog = catalog(root);
        HikariDataSource dataSource = null;
        try {
            List<?> created = new DemoWarehouse(catalog).ensure();
            out.println(created.isEmpty() ? "Reusing the demo tables in " + root
                    : "Created " + created + " in " + root);
            dataSource = h2(root);
            SnowpackSchema.migrate(dataSource);
            SnowpackStore store = JdbcStore.builder(dataSource).healthHistoryRule(config.healthHistoryRule()).build();
            IcebergParts iceberg = IcebergParts.over(catalog, demoConfig(config));
            Quickstart quickstart = new Quickstart(catalog, dataSource, store, iceberg.tableSource(), null, null);
            out.println("\nHealth of the demo tables:\n");
            out.print(HealthTable.format(quickstart.liveHealth()));
            Instant startedAt = store.now();
            SnowpackRuntime runtime = SnowpackRuntime.builder().store(store).executor(iceberg.executor())
                    .tableSource(iceberg.tableSource()).config(demoConfig(config)).meterRegistry(ProcessSetup.prometheus())
                    .api(SnowpackHttp.server(http)).workerSlots(2)
                    .build().start();
            return new Quickstart(catalog, dataSource, store, iceberg.tableSource(), runtime, startedAt);
        } catch (RuntimeException e) {
            if (dataSource != null) {
                dataSource.close();
            }
            closeQuietly(catalog);
            throw e;
        }
    }

    /** The demo's settings: only the {@code demo} database, short intervals so the tour takes a minute. */
    static SnowpackConfig demoConfig(SnowpackConfig config) {
        return config.toBuilder()
                .healthSyncDatabases(List.of("demo"))
                .orchestratorIncludeDatabases(List.of("demo"))
                .healthSyncInterval(Duration.ofSeconds(10))
                .orchestratorInterval(Duration.ofSeconds(15))
                .sweeperInterval(Duration.ofSeconds(10))
                .build();
    }

    private static JdbcCatalog catalog(Path root) {
        JdbcCatalog catalog = new JdbcCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize("quickstart", Map.of(
                CatalogProperties.URI, "jdbc:h2:file:" + root.resolve("catalog/iceberg") + ";DATABASE_TO_LOWER=TRUE",
                CatalogProperties.WAREHOUSE_LOCATION, root.resolve("warehouse").toUri().toString(),
                CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO",
                "jdbc.schema-version", "V1"));
        return catalog;
    }

    private static HikariDataSource h2(Path root) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl("jdbc:h2:file:" + root.resolve("state/snowpack"));
        hikari.setMaximumPoolSize(8);
        hikari.setPoolName("snowpack-quickstart");
        return new HikariDataSource(hikari);
    }

    /** The port the API listens on. */
    public int port() {
        return runtime.apiPort().orElseThrow();
    }

    /** The demo tables' health read from the catalog now. */
    public List<TableHealth> liveHealth() {
        return TABLES.stream().map(tableSource::health).toList();
    }

    /**
     * Waits until an orchestrator job for {@code demo.events} submitted by this run has completed. Empty after
     * {@code timeout}, or as soon as an orchestrator run of this quickstart has finished without leaving a job for
     * the table (a rerun finds it maintained already): an earlier run's job is never taken for this run's.
     */
    public Optional<Job> awaitEventsMaintained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Job> done = completedSinceStart();
            if (done.isPresent()) {
                return done;
            }
            boolean assessed = store.orchestratorRuns().recent(5).stream()
                    .anyMatch(run -> !run.startedAt().isBefore(startedAt) && run.finishedAt() != null);
            if (assessed && store.jobs().unfinishedJob(EVENTS).isEmpty()) {
                return completedSinceStart(); // (a job may have completed since the first look)
            }
            Thread.sleep(250);
        }
        return Optional.empty();
    }

    private Optional<Job> completedSinceStart() {
        return orchestratorJobs(EVENTS).filter(job -> !job.submittedAt().isBefore(startedAt)).findFirst();
    }

    private Stream<Job> orchestratorJobs(TableId table) {
        return store.jobs().list(JobQuery.all().withTable(table).withStatus(JobStatus.COMPLETED)).stream()
                .filter(job -> job.trigger() == JobTrigger.ORCHESTRATOR);
    }

    /** One sentence on what became of {@code demo.events}, given what {@link #awaitEventsMaintained} answered. */
    public String outcome(Optional<Job> maintained) {
        if (maintained.isPresent()) {
            Job job = maintained.get();
            return "The orchestrator maintained demo.events (job " + job.jobId() + ", "
                    + Counts.of(job.results().size(), "action") + ").";
        }
        if (!tableSource.health(EVENTS).needsMaintenance()) {
            return "demo.events needs no maintenance now" + orchestratorJobs(EVENTS).findFirst()
                    .map(job -> ": an earlier run maintained it (job " + job.jobId() + ", submitted "
                            + job.submittedAt() + ").")
                    .orElse(".");
        }
        return "demo.events was not maintained within 3 minutes; see the log.";
    }

    /** The curl commands of the README's tour, for this port. */
    static String tour(int port) {
        String base = "http://127.0.0.1:" + port;
        return String.join("\n",
                "",
                "Snowpack is serving on " + base + ". Try:",
                "  curl -s '" + base + "/tables?database=demo'",
                "  curl -s " + base + "/tables/demo/events/maintenance-plan",
                "  curl -s " + base + "/tables/demo/clicks/maintenance-plan      # why clicks is left alone",
                "  curl -s -X POST " + base + "/tables/demo/orders/maintenance -H 'Content-Type: application/json' \\",
                "       -d '{\"actions\": [\"rewrite_data_files\", \"expire_snapshots\"], \"dry_run\": true}'",
                "  curl -s \"" + base + "/jobs?table=demo.events\"",
                "  curl -s " + base + "/orchestrator/runs",
                "  curl -s " + base + "/metrics | grep snowpack_",
                "Press Ctrl-C to stop (running jobs go back to the queue).",
                "");
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (runtime != null) {
            runtime.close();
        }
        store.close();
        dataSource.close();
        closeQuietly(catalog);
    }

    private static void closeQuietly(JdbcCatalog catalog) {
        catalog.close();
    }
}
