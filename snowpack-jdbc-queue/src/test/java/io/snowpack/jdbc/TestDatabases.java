package io.snowpack.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Real databases for tests: one PostgreSQL server per JVM, started from Maven-delivered binaries, with a
 * session time zone far from UTC; and in-memory H2 databases. Each test class gets its own schema.
 */
public final class TestDatabases {
    /** The server's time zone: +05:30, so a timestamp handled as local time shows at once. */
    static final String SERVER_TIME_ZONE = "Asia/Kolkata";

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private static HikariDataSource postgresPool;

    private TestDatabases() {
    }

    /** A pooled data source on the shared PostgreSQL server, started on first use. */
    public static synchronized DataSource postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("timezone", SERVER_TIME_ZONE)
                        .setServerConfig("max_connections", "120")
                        .setServerConfig("fsync", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
            }
            postgresPool = pool(postgres.getJdbcUrl("postgres", "postgres") + "&ApplicationName=snowpack-test", 24);
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::stopPostgres));
        }
        return postgresPool;
    }

    /** The JDBC URL of the shared server's {@code postgres} database (user {@code postgres}, no password). */
    public static String postgresJdbcUrl() {
        postgres();
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** A data source of separate, unpooled connections to the shared server (one per call). */
    public static DataSource postgresUnpooled() {
        postgres();
        return postgres.getPostgresDatabase();
    }

    /** A new in-memory H2 database, kept while the JVM runs. */
    public static DataSource h2() {
        String url = "jdbc:h2:mem:snowpack_" + SCHEMAS.incrementAndGet() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        return pool(url, 24);
    }

    /** A fresh, migrated schema name for one test class. */
    public static String newSchema(DataSource dataSource, String prefix) {
        String schema = prefix + "_" + SCHEMAS.incrementAndGet();
        SnowpackSchema.migrate(dataSource, schema);
        return schema;
    }

    /** A schema name no test class has used, not created: for tests of a schema that appears later. */
    public static String unusedSchemaName(String prefix) {
        return prefix + "_" + SCHEMAS.incrementAndGet();
    }

    /** Empties every Snowpack table of {@code schema}. */
    public static void truncate(DataSource dataSource, String schema) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : new String[] {"job_actions", "jobs", "job_queue", "table_locks", "health_snapshots",
                    "table_cache", "scheduler_leader", "snowpack_settings", "orchestrator_runs"}) {
                statement.execute("DELETE FROM " + schema + "." + table);
            }
            statement.execute("UPDATE " + schema + ".table_cache_status SET last_synced = NULL");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot empty schema " + schema, e);
        }
    }

    private static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(url.startsWith("jdbc:h2") ? "sa" : "postgres");
        config.setMaximumPoolSize(size);
        config.setPoolName("test-" + SCHEMAS.get());
        return new HikariDataSource(config);
    }

    private static synchronized void stopPostgres() {
        try {
            postgresPool.close();
            postgres.close();
        } catch (IOException e) {
            // the JVM is exiting anyway
        }
    }
}
