package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidConfigurationException;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.jdbc.SnowpackSchema;
import io.snowpack.jdbc.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The connection budget: a worker's pool is sized by its role (slots + claim loop + heartbeats + LISTEN + margin),
 * and every connection it opens says {@code ApplicationName=snowpack-worker}, so the runbook's
 * {@code pg_stat_activity} query finds it. On embedded PostgreSQL, with the real worker app.
 */
class WorkerConnectionsTest {
    /** The worker never runs a job here: nothing is submitted. */
    private static final MaintenanceExecutor NO_JOBS = new MaintenanceExecutor() {
        @Override
        public ActionResult execute(ActionRequest request, Checkpoint checkpoint) {
            throw new AssertionError("no job was submitted");
        }

        @Override
        public ActionResult preview(TableId table, MaintenanceAction action) {
            throw new AssertionError("no job was submitted");
        }
    };

    private static Map<String, String> environment(String schema, String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("SNOWPACK_DATABASE_URL", TestDatabases.postgresJdbcUrl());
        env.put("SNOWPACK_DATABASE_USER", "postgres");
        env.put("SNOWPACK_SCHEMA", schema);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void aStartedPoolWorkerHoldsSlotsPlusFiveConnectionsAllNamedSnowpackWorker() throws Exception {
        DataSource observer = TestDatabases.postgresUnpooled();
        String schema = TestDatabases.unusedSchemaName("worker_connections");
        SnowpackSchema.migrate(TestDatabases.postgres(), schema);
        AppEnvironment environment = new AppEnvironment(environment(schema, "SNOWPACK_WORKER_SLOTS", "3"));
        assertThat(environment.poolSize(AppEnvironment.AppRole.WORKER)).isEqualTo(3 + 5);
        int before = workerConnections(observer);

        try (Running worker = WorkerApp.startPool(environment, NO_JOBS)) {
            assertThat(worker.dataSource().getMaximumPoolSize()).isEqualTo(8);
            // Hikari keeps the pool full (minimumIdle defaults to the maximum): all 8 show, the LISTEN one among them
            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((workerConnections(observer) - before < 8 || listening(observer) < 1)
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(workerConnections(observer) - before).as("connections with application_name snowpack-worker")
                    .isEqualTo(8);
            assertThat(listening(observer)).as("the LISTEN connection is one of them").isGreaterThanOrEqualTo(1);
        }
        assertThat(workerConnections(observer)).as("all closed with the app").isEqualTo(before);
    }

    @Test
    void theDefaultsFollowTheRoleAndAnOverrideIsCheckedNamingItsValue() {
        assertThat(new AppEnvironment(environment("s")).poolSize(AppEnvironment.AppRole.API)).isEqualTo(13);
        assertThat(new AppEnvironment(environment("s")).poolSize(AppEnvironment.AppRole.WORKER)).isEqualTo(7);
        assertThat(new AppEnvironment(environment("s", "SNOWPACK_WORKER_MODE", "once"))
                .poolSize(AppEnvironment.AppRole.WORKER)).isEqualTo(4);
        assertThat(new AppEnvironment(environment("s", "SNOWPACK_DATABASE_POOL_SIZE", "5"))
                .poolSize(AppEnvironment.AppRole.API)).isEqualTo(5);

        assertThatThrownBy(() -> new AppEnvironment(environment("s", "SNOWPACK_DATABASE_POOL_SIZE", "ten")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("Invalid SNOWPACK_DATABASE_POOL_SIZE 'ten'");
        AppEnvironment one = new AppEnvironment(environment("s", "SNOWPACK_DATABASE_POOL_SIZE", "1"));
        assertThat(one.poolSize(AppEnvironment.AppRole.API)).isEqualTo(1);
        assertThatThrownBy(() -> one.poolSize(AppEnvironment.AppRole.WORKER))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("Invalid SNOWPACK_DATABASE_POOL_SIZE '1'")
                .hasMessageContaining("at least 2 connections (one is held for LISTEN)");
    }

    private static int workerConnections(DataSource observer) throws SQLException {
        return count(observer, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'snowpack-worker'");
    }

    private static int listening(DataSource observer) throws SQLException {
        return count(observer, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'snowpack-worker' "
                + "AND query LIKE 'LISTEN%'");
    }

    private static int count(DataSource observer, String sql) throws SQLException {
        try (Connection connection = observer.getConnection(); PreparedStatement statement =
                connection.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
