package io.snowpack.examples.reliability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The commits of the chaos executor, in a PostgreSQL table beside Snowpack's. Each commit records whether the
 * committing claim's fence was still the queue row's fence at that very moment ({@code fence_valid}, computed in
 * the same statement), so a commit made with a revoked fence cannot hide.
 */
final class Ledger {
    /** One commit. */
    record Commit(String jobId, String table, int attempt, long fence, String worker, Instant startedAt,
            Instant committedAt, boolean fenceValid) {
    }

    private final DataSource dataSource;
    private final String schema;

    Ledger(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    void create() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + schema + ".ledger (id BIGSERIAL PRIMARY KEY, job_id TEXT NOT NULL,"
                    + " table_key TEXT NOT NULL, attempt INT NOT NULL, fence BIGINT NOT NULL, worker TEXT NOT NULL,"
                    + " started_at TIMESTAMPTZ NOT NULL, committed_at TIMESTAMPTZ NOT NULL,"
                    + " fence_valid BOOLEAN NOT NULL)");
        }
    }

    void commit(String jobId, String table, int attempt, long fence, String worker, Instant startedAt)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO " + schema + ".ledger (job_id, table_key, attempt, fence, worker, started_at,"
                        + " committed_at, fence_valid) SELECT ?, ?, ?, ?, ?, ?, clock_timestamp(), EXISTS (SELECT 1"
                        + " FROM " + schema + ".job_queue q WHERE q.job_id = ? AND q.fence = ?"
                        + " AND q.claimed_at IS NOT NULL)")) {
            insert.setString(1, jobId);
            insert.setString(2, table);
            insert.setInt(3, attempt);
            insert.setLong(4, fence);
            insert.setString(5, worker);
            insert.setTimestamp(6, Timestamp.from(startedAt));
            insert.setString(7, jobId);
            insert.setLong(8, fence);
            insert.executeUpdate();
        }
    }

    List<Commit> commits() throws SQLException {
        List<Commit> commits = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT job_id, table_key, attempt, fence, worker, started_at,"
                        + " committed_at, fence_valid FROM " + schema + ".ledger ORDER BY table_key, started_at")) {
            while (rs.next()) {
                commits.add(new Commit(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(),
                        rs.getBoolean(8)));
            }
        }
        return commits;
    }
}
