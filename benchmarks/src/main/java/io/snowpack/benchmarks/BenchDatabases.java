package io.snowpack.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;

/**
 * The databases benchmarks run against: one embedded PostgreSQL per JVM (from Maven Central binaries, default
 * durability settings: fsync and synchronous_commit on), and in-memory H2.
 */
final class BenchDatabases {
    private static EmbeddedPostgres postgres;
    private static HikariDataSource postgresPool;

    private BenchDatabases() {
    }

    static synchronized DataSource postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "100")
                        .setServerConfig("shared_buffers", "256MB")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
            }
            postgresPool = pool(postgres.getJdbcUrl("postgres", "postgres") + "&ApplicationName=snowpack-bench",
                    "postgres", 20);
            Runtime.getRuntime().addShutdownHook(new Thread(BenchDatabases::stop));
        }
        return postgresPool;
    }

    static DataSource h2(String name) {
        return pool("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", 20);
    }

    private static HikariDataSource pool(String url, String user, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    private static synchronized void stop() {
        try {
            postgresPool.close();
            postgres.close();
        } catch (IOException e) {
            // exiting
        }
    }
}
