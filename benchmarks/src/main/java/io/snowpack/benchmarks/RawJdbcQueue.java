package io.snowpack.benchmarks;

import io.snowpack.jdbc.SnowpackSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The baseline: the claim Snowpack issues on PostgreSQL ({@code UPDATE … FROM (SELECT … ORDER BY visible_at
 * LIMIT n FOR UPDATE SKIP LOCKED) … RETURNING}) and a fenced delete, as plain JDBC prepared statements with
 * auto-commit, on the same server and pool settings, against its own {@code job_queue} table. The table is made
 * by Snowpack's own migration in a separate schema, so its shape (columns, fillfactor, autovacuum settings,
 * partial indexes, fence sequence) is exactly Snowpack's.
 *
 * <p>It does what the library must do and nothing else: reads every returned column (the library maps them to
 * claims), completes one job with {@code DELETE … WHERE job_id = ? AND fence = ?} and a batch with one
 * {@code DELETE … WHERE (job_id, fence) IN ((?, ?), …) RETURNING job_id} — the same statement text
 * Snowpack sends (an {@code unnest(?::varchar[], ?::bigint[])} form was measured first and planned worse: see the
 * README).
 */
final class RawJdbcQueue implements QueueUnderTest {
    static final String SCHEMA = "bench_raw";

    private static final String CLAIM = "UPDATE " + SCHEMA + ".job_queue q"
            + " SET claimed_at = CURRENT_TIMESTAMP, claimed_by = ?, attempts = q.attempts + 1,"
            + " fence = nextval('" + SCHEMA + ".job_queue_fence_seq')"
            + " FROM (SELECT job_id FROM " + SCHEMA + ".job_queue"
            + " WHERE claimed_at IS NULL AND visible_at <= CURRENT_TIMESTAMP"
            + " ORDER BY visible_at LIMIT ? FOR UPDATE SKIP LOCKED) c"
            + " WHERE q.job_id = c.job_id"
            + " RETURNING q.job_id, q.visible_at, q.claimed_at, q.claimed_by, q.attempts, q.fence";
    private static final String COMPLETE_ONE = "DELETE FROM " + SCHEMA + ".job_queue"
            + " WHERE job_id = ? AND fence = ? AND claimed_at IS NOT NULL";
    /** One text per batch size: {@code (job_id, fence) IN ((?, ?), …)}, the form Snowpack's completeAll sends. */
    private static final java.util.concurrent.ConcurrentHashMap<Integer, String> COMPLETE_MANY =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static String completeMany(int size) {
        return COMPLETE_MANY.computeIfAbsent(size, n -> {
            StringBuilder pairs = new StringBuilder();
            for (int i = 0; i < n; i++) {
                pairs.append(i == 0 ? "(?, ?)" : ", (?, ?)");
            }
            return "DELETE FROM " + SCHEMA + ".job_queue WHERE claimed_at IS NOT NULL AND (job_id, fence) IN ("
                    + pairs + ") RETURNING job_id";
        });
    }

    private final DataSource dataSource;

    RawJdbcQueue(DataSource dataSource) {
        this.dataSource = dataSource;
        SnowpackSchema.migrate(dataSource, SCHEMA);
    }

    @Override
    public long ready() {
        return Stock.ready(dataSource, SCHEMA);
    }

    @Override
    public void stock(long jobs) {
        Stock.insert(dataSource, SCHEMA, jobs, true);
    }

    @Override
    public void add(long jobs) {
        Stock.insert(dataSource, SCHEMA, jobs, false);
    }

    @Override
    public int claimAndComplete(String worker, int batch) {
        try (Connection c = dataSource.getConnection()) {
            List<String> ids = new ArrayList<>(batch);
            List<Long> fences = new ArrayList<>(batch);
            try (PreparedStatement claim = c.prepareStatement(CLAIM)) {
                claim.setString(1, worker);
                claim.setInt(2, batch);
                try (ResultSet rs = claim.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                        rs.getObject(2, OffsetDateTime.class);
                        rs.getObject(3, OffsetDateTime.class);
                        rs.getString(4);
                        rs.getInt(5);
                        fences.add(rs.getLong(6));
                    }
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            if (ids.size() == 1) {
                try (PreparedStatement delete = c.prepareStatement(COMPLETE_ONE)) {
                    delete.setString(1, ids.get(0));
                    delete.setLong(2, fences.get(0));
                    return delete.executeUpdate();
                }
            }
            try (PreparedStatement delete = c.prepareStatement(completeMany(ids.size()))) {
                for (int i = 0; i < ids.size(); i++) {
                    delete.setString(2 * i + 1, ids.get(i));
                    delete.setLong(2 * i + 2, fences.get(i));
                }
                int completed = 0;
                try (ResultSet rs = delete.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(1);
                        completed++;
                    }
                }
                return completed;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Baseline claim failed", e);
        }
    }
}
