package io.snowpack.examples;

import com.zaxxer.hikari.HikariDataSource;
import io.snowpack.core.runtime.Role;
import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import io.snowpack.http.SnowpackHttp;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.SnowpackSchema;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API process of a PostgreSQL deployment: migrates the schema, then serves the REST API and, while it holds
 * the {@code scheduler} lease, runs the sweeper and the orchestrator; health sync keeps the table cache filled.
 * Configured only by {@code SNOWPACK_*} environment variables ({@link AppEnvironment}); stops gracefully on
 * SIGTERM.
 *
 * <p>The catalog is not needed to start: while it cannot be reached, job status, cancel, submissions and the
 * sweeper work, live health and dry runs answer 503, {@code /readyz} reports the catalog under {@code catalog},
 * and the connection is retried with capped backoff ({@link CatalogConnection}).
 */
public final class ApiApp {
    private static final Logger LOG = LoggerFactory.getLogger(ApiApp.class);

    private ApiApp() {
    }

    public static void main(String[] args) throws Exception {
        ProcessSetup.jdkHttpServerNoDelay();
        AppEnvironment environment = AppEnvironment.fromSystem();
        try (CatalogConnection catalog = CatalogConnection.start(environment::catalog,
                connected -> IcebergParts.over(connected, environment.config()), CatalogContents.of(environment));
             Running running = start(environment, catalog)) {
            Runtime.getRuntime().addShutdownHook(new Thread(running::close, "snowpack-shutdown"));
            running.runtime().awaitShutdown();
        }
    }

    /** Like {@link #start(AppEnvironment, MaintenanceExecutor, TableSource)}, over a catalog that may be down. */
    public static Running start(AppEnvironment environment, CatalogConnection catalog) {
        return start(environment, catalog.executor(), catalog.tableSource(), catalog::status);
    }

    /** Migrates, connects and starts the API and scheduler roles; the caller closes what is returned. */
    public static Running start(AppEnvironment environment, MaintenanceExecutor executor, TableSource tableSource) {
        return start(environment, executor, tableSource, null);
    }

    private static Running start(AppEnvironment environment, MaintenanceExecutor executor, TableSource tableSource,
            Supplier<String> catalogStatus) {
        ProcessMetrics metrics = ProcessMetrics.start(environment, AppEnvironment.AppRole.API);
        HikariDataSource dataSource = environment.dataSource(AppEnvironment.AppRole.API, metrics.registry());
        try {
            SnowpackSchema.migrate(dataSource, environment.schema());
            SnowpackStore store = JdbcStore.builder(dataSource).schema(environment.schema())
                    .healthHistoryRule(environment.config().healthHistoryRule()).build();
            SnowpackRuntime.Builder builder = SnowpackRuntime.builder().store(store).executor(executor)
                    .tableSource(tableSource).config(environment.config()).meterRegistry(metrics.registry())
                    .api(SnowpackHttp.server(environment.http()))
                    .roles(Role.API, Role.SCHEDULER);
            if (catalogStatus != null) {
                builder.readinessDetail("catalog", catalogStatus);
            }
            SnowpackRuntime runtime = builder.build().start();
            LOG.info("Snowpack API process started on port {}", runtime.apiPort().orElseThrow());
            return new Running(runtime, store, dataSource, metrics);
        } catch (RuntimeException e) {
            dataSource.close();
            metrics.close();
            throw e;
        }
    }
}
