package io.snowpack.jdbc;

import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.JobDispatch;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.StartedJob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Claim-and-start on PostgreSQL in one statement, so one commit: the claim of the queue rows ({@code FOR UPDATE
 * SKIP LOCKED}), the renewal (or re-take) of each job's table lock and the move of each job to {@code running} are
 * data-modifying CTEs of a single {@code WITH}. A job starts only when all three hold; a claimed job that did not
 * (cancelled meanwhile, lock taken by another holder) goes to {@link JobDispatch#startClaimed}, which settles it as
 * every backend does. Row locks are taken queue row first, then job row, as every other writer of both does.
 *
 * <p>Each claimed job is read by its key, once per claimed row (a {@code LATERAL} lookup that the status condition
 * cannot reach), and updated by its key with the status it was read with. A status condition the planner can use
 * walked the status index through every pending job, which in a burst of submits is all of them, twice per claim
 * (statistics gathered while nothing was pending put the estimate at one row); and an {@code = ANY (ARRAY(…))} of
 * keys, priced as ten probes, lost to a scan of a young {@code jobs} table in the generic plan a prepared statement
 * keeps. One key per row is one probe, cheaper than a scan of anything but a few pages.
 *
 * <p>The CTEs read each other's rows through joins that PostgreSQL, which prices a data-modifying CTE at a row or
 * two, runs as nested loops: every claimed job compared with every other. So each CTE carries forward what the next
 * one needs (the claim's attempts ride with the waiting jobs; the start returns its lock's columns) and the
 * statement joins twice instead of four times.
 */
final class PostgresJobStarts {
    static final String CLAIM_AND_START = "WITH " + JdbcJobQueue.CLAIM_CANDIDATES + ", claimed AS (\n"
            + JdbcJobQueue.CLAIM_POSTGRES + """
            ), pending AS (
                SELECT j.job_id, j.database, j.table_name, j.submitted_at, j.status, c.attempts
                  FROM claimed c
                 CROSS JOIN LATERAL (SELECT job_id, database, table_name, submitted_at, status FROM ${s}.jobs
                                      WHERE job_id = c.job_id OFFSET 0) j
                 WHERE j.status = 'pending'
            ), waiting AS (
                SELECT DISTINCT ON (database, table_name) job_id, status, attempts,
                       database || '.' || table_name AS table_key
                  FROM pending
                 ORDER BY database, table_name, submitted_at
            ), locked AS (
                INSERT INTO ${s}.table_locks AS l (table_key, holder, acquired_at, expires_at, fence)
                SELECT table_key, job_id, ${now}, ${nowPlusDelay}, ${nextLockFence} FROM waiting
                ON CONFLICT (table_key) DO UPDATE
                   SET holder = EXCLUDED.holder,
                       acquired_at = CASE WHEN l.holder = EXCLUDED.holder THEN l.acquired_at ELSE EXCLUDED.acquired_at END,
                       expires_at = EXCLUDED.expires_at,
                       fence = CASE WHEN l.holder = EXCLUDED.holder THEN l.fence ELSE EXCLUDED.fence END
                 WHERE l.holder = EXCLUDED.holder OR l.expires_at <= ${now}
                RETURNING l.table_key, l.holder, l.acquired_at, l.expires_at, l.fence
            ), started AS (
                UPDATE ${s}.jobs j
                   SET status = 'running', started_at = COALESCE(j.started_at, ${now}), attempts = w.attempts
                  FROM locked l
                  JOIN waiting w ON w.job_id = l.holder
                 WHERE j.job_id = l.holder AND j.status = w.status
                RETURNING j.job_id, j.database, j.table_name, j.actions, j.dry_run, j.status, j.submitted_at,
                          j.started_at, j.completed_at, j.error, j.attempts, j.triggered_by, j.stop_confirmed_at,
                          EXISTS (SELECT 1 FROM ${s}.job_actions a WHERE a.job_id = j.job_id) AS has_results,
                          l.table_key AS l_key, l.acquired_at AS l_acquired_at, l.expires_at AS l_expires_at,
                          l.fence AS l_fence
            )
            SELECT c.job_id AS q_job_id, c.claimed_at AS q_claimed_at, c.claimed_by AS q_claimed_by,
                   c.attempts AS q_attempts, c.fence AS q_fence, c.visible_at AS q_visible_at, s.*
              FROM claimed c
              LEFT JOIN started s ON s.job_id = c.job_id""";

    private final Connections connections;
    private final Sql sql;
    private final JdbcJobStore jobs;
    /** The claim on plain JDBC, as the queue's other hot statements: no JDBI handle per claim. */
    private final PlainStatement claimAndStart;

    PostgresJobStarts(Connections connections, Sql sql, JdbcJobStore jobs) {
        this.connections = connections;
        this.sql = sql;
        this.jobs = jobs;
        this.claimAndStart = PlainStatement.of(sql, CLAIM_AND_START);
    }

    /** One claimed row: the claim, and the job with its lease when the statement started it. */
    private record Row(Claim claim, java.time.Instant visibleAt, Job job, Lease lease, boolean hasResults) {
    }

    List<StartedJob> claimAndStart(SnowpackStore store, String workerId, int max, Duration lockTtl) {
        SnowpackStore.requireClaimable(max, lockTtl);
        Objects.requireNonNull(workerId, "workerId");
        List<Row> rows = connections.withConnection(c -> {
            try (PreparedStatement claim = c.prepareStatement(claimAndStart.text())) {
                claimAndStart.bind(claim, sql, "worker", workerId, "max", max, "delay_micros", Sql.micros(lockTtl));
                List<Row> read = new ArrayList<>(max);
                try (ResultSet rs = claim.executeQuery()) {
                    while (rs.next()) {
                        read.add(row(rs));
                    }
                }
                return read;
            }
        });
        List<StartedJob> started = new ArrayList<>();
        rows.stream().sorted(Comparator.comparing(Row::visibleAt).thenComparing(r -> r.claim().fence())).forEach(row -> {
            if (row.job() == null) {
                JobDispatch.startClaimed(store, row.claim(), lockTtl).ifPresent(started::add);
            } else {
                Job job = row.hasResults() ? jobs.find(row.job().jobId()).orElse(row.job()) : row.job();
                started.add(new StartedJob(row.claim(), job, row.lease()));
            }
        });
        return started;
    }

    private static Row row(ResultSet rs) throws SQLException {
        Claim claim = new Claim(new JobId(rs.getString("q_job_id")), rs.getString("q_claimed_by"), rs.getLong("q_fence"),
                rs.getInt("q_attempts"), Sql.instant(rs, "q_claimed_at"));
        if (rs.getString("job_id") == null) {
            return new Row(claim, Sql.instant(rs, "q_visible_at"), null, null, false);
        }
        Lease lease = new Lease(rs.getString("l_key"), claim.jobId().value(), rs.getLong("l_fence"),
                Sql.instant(rs, "l_acquired_at"), Sql.instant(rs, "l_expires_at"));
        return new Row(claim, Sql.instant(rs, "q_visible_at"), JdbcJobStore.job(rs, null), lease,
                rs.getBoolean("has_results"));
    }
}
