package io.snowpack.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Bulk filling of a {@code job_queue} table of Snowpack's shape, generated on the server (one statement per
 * chunk), so that stocking the queue costs seconds even for millions of jobs. Job ids are 32 lowercase hex
 * characters, as {@code JobId} requires.
 */
final class Stock {
    private static final int CHUNK = 250_000;

    private Stock() {
    }

    static boolean isPostgres(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void insert(DataSource dataSource, String schema, long jobs, boolean vacuum) {
        boolean postgres = isPostgres(dataSource);
        String insert = postgres
                ? "INSERT INTO " + schema + ".job_queue (job_id, visible_at, attempts, fence)"
                        + " SELECT md5(random()::text || clock_timestamp()::text || g::text), now(), 0, 0"
                        + " FROM generate_series(1, ?) g"
                : "INSERT INTO " + schema + ".job_queue (job_id, visible_at, attempts, fence)"
                        + " SELECT LOWER(REPLACE(CAST(RANDOM_UUID() AS VARCHAR), '-', '')), CURRENT_TIMESTAMP, 0, 0"
                        + " FROM SYSTEM_RANGE(1, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(insert)) {
            for (long left = jobs; left > 0; left -= CHUNK) {
                ps.setLong(1, Math.min(left, CHUNK));
                ps.executeUpdate();
            }
            if (postgres && vacuum) {
                try (Statement s = c.createStatement()) {
                    s.execute("VACUUM ANALYZE " + schema + ".job_queue");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot stock " + schema + ".job_queue", e);
        }
    }

    static long ready(DataSource dataSource, String schema) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + schema
                     + ".job_queue WHERE claimed_at IS NULL AND visible_at <= CURRENT_TIMESTAMP")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
