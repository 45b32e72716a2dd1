package io.snowpack.benchmarks;

import io.snowpack.core.model.JobId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The baseline: the same claim ({@code UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED) … RETURNING}) and the
 * same fenced delete, issued as plain JDBC prepared statements on a table of the same shape, with no library in
 * between.
 */
final class RawJdbcQueue implements QueueUnderTest {
    private static final String SCHEMA = "bench_raw";

    private final DataSource dataSource;

    RawJdbcQueue(DataSource dataSource) {
        this.dataSource = dataSource;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            s.execute("CREATE SEQUENCE IF NOT EXISTS " + SCHEMA + ".fence_seq");
            s.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".job_queue (job_id VARCHAR(32) PRIMARY KEY,"
                    + " visible_at TIMESTAMPTZ NOT NULL, claimed_at TIMESTAMPTZ, claimed_by VARCHAR(255),"
                    + " attempts INTEGER NOT NULL DEFAULT 0, fence BIGINT NOT NULL DEFAULT 0)"
                    + " WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.0,"
                    + " autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0)");
            s.execute("CREATE INDEX IF NOT EXISTS raw_claimable_idx ON " + SCHEMA
                    + ".job_queue (visible_at) WHERE claimed_at IS NULL");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the baseline table", e);
        }
    }

    @Override
    public void prefill(int jobs) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + SCHEMA
                     + ".job_queue (job_id, visible_at) VALUES (?, now())")) {
            s.execute("DELETE FROM " + SCHEMA + ".job_queue");
            for (int i = 0; i < jobs; i++) {
                insert.setString(1, JobId.random().value());
                insert.addBatch();
                if (i % 5000 == 4999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            s.execute("VACUUM ANALYZE " + SCHEMA + ".job_queue");
        } catch (SQLException e) {
            throw new IllegalStateException("Prefill failed", e);
        }
    }

    @Override
    public int claimAndComplete(String worker, int batch) {
        try (Connection c = dataSource.getConnection()) {
            List<String> ids = new ArrayList<>(batch);
            List<Long> fences = new ArrayList<>(batch);
            try (PreparedStatement claim = c.prepareStatement("UPDATE " + SCHEMA + ".job_queue q"
                    + " SET claimed_at = now(), claimed_by = ?, attempts = q.attempts + 1,"
                    + " fence = nextval('" + SCHEMA + ".fence_seq')"
                    + " FROM (SELECT job_id FROM " + SCHEMA + ".job_queue WHERE claimed_at IS NULL"
                    + " AND visible_at <= now() ORDER BY visible_at LIMIT ? FOR UPDATE SKIP LOCKED) c"
                    + " WHERE q.job_id = c.job_id RETURNING q.job_id, q.fence")) {
                claim.setString(1, worker);
                claim.setInt(2, batch);
                try (ResultSet rs = claim.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                        fences.add(rs.getLong(2));
                    }
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + SCHEMA + ".job_queue"
                    + " WHERE claimed_at IS NOT NULL AND (job_id, fence) IN"
                    + " (SELECT * FROM unnest(?::varchar[], ?::bigint[]))")) {
                Array idArray = c.createArrayOf("varchar", ids.toArray());
                Array fenceArray = c.createArrayOf("bigint", fences.toArray());
                delete.setArray(1, idArray);
                delete.setArray(2, fenceArray);
                return delete.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Baseline claim failed", e);
        }
    }
}
