package io.snowpack.examples;

import com.zaxxer.hikari.HikariDataSource;
import io.snowpack.core.BackendException;
import io.snowpack.core.InvalidConfigurationException;
import io.snowpack.core.policy.ExecutorRouting;
import io.snowpack.core.routing.RoutingExecutor;
import io.snowpack.core.runtime.Role;
import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import io.snowpack.core.worker.JobOutcome;
import io.snowpack.core.worker.Worker;
import io.snowpack.jdbc.JdbcStore;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker process of a PostgreSQL deployment, configured only by {@code SNOWPACK_*} environment variables.
 * {@code SNOWPACK_WORKER_MODE=pool} (default) claims up to {@code SNOWPACK_WORKER_SLOTS} jobs at a time until
 * SIGTERM; {@code once} (a KEDA ScaledJob) claims one job, runs it and exits with {@link JobOutcome#exitCode()}
 * (0 at once when nothing is claimable). On SIGTERM the running job stops at its next checkpoint and goes back to
 * the queue. The worker never migrates the schema: the API process does.
 */
public final class WorkerApp {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerApp.class);

    private WorkerApp() {
    }

    public static void main(String[] args) throws Exception {
        AppEnvironment environment = AppEnvironment.fromSystem();
        CatalogConnection catalog = CatalogConnection.start(environment::catalog,
                connected -> IcebergParts.over(connected, environment.config()), CatalogContents.of(environment));
        if (environment.config().executorSparkEnabled()) {
            IcebergParts.sparkProvider(); // fail at start, not at the first connection attempt
        }
        awaitCatalog(catalog);
        System.exit(run(environment, catalog.executor(), environment.config().executorSparkEnabled()
                ? Optional.of(catalog.sparkExecutor()) : Optional.empty(), Optional.of(catalog.tableSource())));
    }

    /**
     * Runs the worker as configured with {@code iceberg}'s executor, refreshing a table's cached health from
     * {@code iceberg}'s catalog after each job; returns the process exit code.
     */
    public static int run(AppEnvironment environment, IcebergParts iceberg) throws InterruptedException {
        return run(environment, iceberg.executor(), Optional.empty(), Optional.of(iceberg.tableSource()));
    }

    /** Runs the worker as configured, every job in this JVM; returns the process exit code. */
    public static int run(AppEnvironment environment, MaintenanceExecutor executor) throws InterruptedException {
        return run(environment, executor, Optional.empty());
    }

    /**
     * Runs the worker as configured; with a {@code spark} executor each job goes to the executor its table's plan
     * names ({@code snowpack.executor}, {@code executor.*}); returns the process exit code.
     */
    public static int run(AppEnvironment environment, MaintenanceExecutor executor,
            Optional<MaintenanceExecutor> spark) throws InterruptedException {
        return run(environment, executor, spark, Optional.empty());
    }

    /**
     * {@link #run(AppEnvironment, MaintenanceExecutor, Optional)}; with {@code tables}, a table's cached health is
     * read again from the catalog right after each job on it, so the API shows the job's effect at once.
     */
    public static int run(AppEnvironment environment, MaintenanceExecutor executor,
            Optional<MaintenanceExecutor> spark, Optional<TableSource> tables) throws InterruptedException {
        if (environment.workerMode() == AppEnvironment.WorkerMode.POOL) {
            try (Running running = startPool(environment, executor, spark, tables)) {
                Runtime.getRuntime().addShutdownHook(new Thread(running::close, "snowpack-shutdown"));
                running.runtime().awaitShutdown();
                return 0;
            }
        }
        try (ProcessMetrics metrics = ProcessMetrics.start(environment, AppEnvironment.AppRole.WORKER);
             HikariDataSource dataSource = environment.dataSource(AppEnvironment.AppRole.WORKER, metrics.registry());
             SnowpackStore store = awaitStore(dataSource, environment.schema())) {
            return runOnce(environment, store, routed(environment, executor, spark, store), tables, metrics);
        }
    }

    /**
     * Starts a {@code pool}-mode worker (once the database answers) with {@code SNOWPACK_WORKER_SLOTS} slots; the
     * caller closes what is returned (the running jobs go back to the queue).
     */
    public static Running startPool(AppEnvironment environment, MaintenanceExecutor executor)
            throws InterruptedException {
        return startPool(environment, executor, Optional.empty());
    }

    /** {@link #startPool(AppEnvironment, MaintenanceExecutor)}, routing jobs to {@code spark} where planned. */
    public static Running startPool(AppEnvironment environment, MaintenanceExecutor executor,
            Optional<MaintenanceExecutor> spark) throws InterruptedException {
        return startPool(environment, executor, spark, Optional.empty());
    }

    /** {@link #startPool(AppEnvironment, MaintenanceExecutor, Optional)}, refreshing health from {@code tables}. */
    public static Running startPool(AppEnvironment environment, MaintenanceExecutor executor,
            Optional<MaintenanceExecutor> spark, Optional<TableSource> tables) throws InterruptedException {
        ProcessMetrics metrics = ProcessMetrics.start(environment, AppEnvironment.AppRole.WORKER);
        HikariDataSource dataSource = environment.dataSource(AppEnvironment.AppRole.WORKER, metrics.registry());
        SnowpackStore store = null;
        try {
            store = awaitStore(dataSource, environment.schema());
            SnowpackRuntime.Builder builder = SnowpackRuntime.builder().store(store)
                    .executor(routed(environment, executor, spark, store))
                    .config(environment.config()).workerSlots(environment.workerSlots())
                    .workerPrefetch(environment.workerPrefetch()).meterRegistry(metrics.registry())
                    .roles(Role.WORKER);
            tables.ifPresent(builder::tableSource); // the worker role only refreshes health after its jobs
            SnowpackRuntime runtime = builder.build().start();
            return new Running(runtime, store, dataSource, metrics);
        } catch (InterruptedException | RuntimeException e) {
            if (store != null) {
                store.close();
            }
            dataSource.close();
            metrics.close();
            throw e;
        }
    }

    /**
     * {@code local} alone, or with {@code spark} a {@link RoutingExecutor} that picks per table from the cached
     * health, as the API's plan does.
     *
     * @throws InvalidConfigurationException when Spark is enabled and no Spark executor was given
     */
    static MaintenanceExecutor routed(AppEnvironment environment, MaintenanceExecutor local,
            Optional<MaintenanceExecutor> spark, SnowpackStore store) {
        if (!environment.config().executorSparkEnabled()) {
            return local;
        }
        return RoutingExecutor.builder().local(local)
                .spark(spark.orElseThrow(() -> new InvalidConfigurationException("executor.spark_enabled",
                        "executor.spark_enabled=true, but this worker was given no Spark executor")))
                .routing(ExecutorRouting.of(environment.config()))
                .tables(store.tables())
                .build();
    }

    /**
     * Returns once the catalog answered: a worker started while its catalog is down claims nothing (claimed jobs
     * would only fail and burn attempts) and keeps trying, with the capped backoff of {@link CatalogConnection}.
     */
    static void awaitCatalog(CatalogConnection catalog) throws InterruptedException {
        long nextReport = 0;
        while (catalog.parts().isEmpty()) {
            if (System.nanoTime() >= nextReport) {
                LOG.warn("Waiting for the catalog before claiming jobs: {}", catalog.status());
                nextReport = System.nanoTime() + 30_000_000_000L;
            }
            Thread.sleep(200);
        }
    }

    /**
     * The store, once the database answers: a worker started before its database (or during a restart) waits,
     * retrying with a capped backoff, instead of dying; the claim loop then rides out later outages by itself.
     */
    static SnowpackStore awaitStore(DataSource dataSource, String schema) throws InterruptedException {
        long delayMillis = 500;
        for (int attempt = 1; ; attempt++) {
            try {
                SnowpackStore store = JdbcStore.builder(dataSource).schema(schema).build();
                if (attempt > 1) {
                    LOG.info("The database answers again after {} attempts", attempt);
                }
                return store;
            } catch (BackendException e) {
                LOG.warn("Waiting for the database (attempt {}): {}; retrying in {} ms", attempt, e.getMessage(),
                        delayMillis);
                Thread.sleep(delayMillis);
                delayMillis = Math.min(delayMillis * 2, 30_000);
            }
        }
    }

    private static int runOnce(AppEnvironment environment, SnowpackStore store, MaintenanceExecutor executor,
            Optional<TableSource> tables, ProcessMetrics metrics) {
        Worker.Builder builder = Worker.builder().store(store).executor(executor).config(environment.config())
                .meterRegistry(metrics.registry());
        tables.ifPresent(builder::tableSource);
        Worker worker = builder.build();
        Thread hook = new Thread(worker::close, "snowpack-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        JobOutcome outcome = worker.runOnce();
        LOG.info("Run-once worker finished: {} (exit code {})", outcome, outcome.exitCode());
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running: it has handed the job back
        }
        return outcome.exitCode();
    }
}
