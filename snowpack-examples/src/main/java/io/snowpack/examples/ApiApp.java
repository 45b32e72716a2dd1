package io.snowpack.examples;

import com.zaxxer.hikari.HikariDataSource;
import io.snowpack.core.runtime.Role;
import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.SnowpackSchema;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API process of a PostgreSQL deployment: migrates the schema, then serves the REST API and, while it holds
 * the {@code scheduler} lease, runs the sweeper and the orchestrator; health sync keeps the table cache filled.
 * Configured only by {@code SNOWPACK_*} environment variables ({@link AppEnvironment}); stops gracefully on
 * SIGTERM.
 */
public final class ApiApp {
    private static final Logger LOG = LoggerFactory.getLogger(ApiApp.class);

    private ApiApp() {
    }

    public static void main(String[] args) throws Exception {
        AppEnvironment environment = AppEnvironment.fromSystem();
        Catalog catalog = environment.catalog();
        IcebergParts iceberg = IcebergParts.over(catalog, environment.config());
        try (Running running = start(environment, iceberg.executor(), iceberg.tableSource())) {
            Runtime.getRuntime().addShutdownHook(new Thread(running::close, "snowpack-shutdown"));
            running.runtime().awaitShutdown();
        }
    }

    /** Migrates, connects and starts the API and scheduler roles; the caller closes what is returned. */
    public static Running start(AppEnvironment environment, MaintenanceExecutor executor, TableSource tableSource) {
        HikariDataSource dataSource = environment.dataSource();
        try {
            SnowpackSchema.migrate(dataSource, environment.schema());
            SnowpackStore store = JdbcStore.builder(dataSource).schema(environment.schema()).build();
            SnowpackRuntime runtime = SnowpackRuntime.builder().store(store).executor(executor)
                    .tableSource(tableSource).config(environment.config()).http(environment.http())
                    .roles(Role.API, Role.SCHEDULER).build().start();
            LOG.info("Snowpack API process started on port {}", runtime.apiPort().orElseThrow());
            return new Running(runtime, store, dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }
}
