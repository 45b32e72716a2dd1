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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>No two CTEs' rows are joined with each other: PostgreSQL prices a data-modifying CTE at a row or two and runs
 * such joins as nested loops, every claimed job compared with every other (at 64 jobs a claim, a third of the
 * statement's time). Each CTE carries forward what the next one needs (the claim's attempts ride with the waiting
 * jobs), the start keeps the jobs whose lock was taken by an array of the holders built once, and the statement
 * returns three kinds of rows (claims, started jobs, locks taken) that are joined here by job id.
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
                  FROM waiting w
                 WHERE j.job_id = w.job_id AND j.status = w.status
                   AND w.job_id = ANY (ARRAY(SELECT l.holder FROM locked l))
                RETURNING j.job_id, j.database, j.table_name, j.actions, j.dry_run, j.status, j.submitted_at,
                          j.started_at, j.completed_at, j.error, j.attempts, j.triggered_by, j.stop_confirmed_at,
                          EXISTS (SELECT 1 FROM ${s}.job_actions a WHERE a.job_id = j.job_id) AS has_results
            )
            SELECT 'claim' AS row_kind, c.job_id, c.claimed_at AS q_claimed_at, c.claimed_by AS q_claimed_by,
                   c.attempts AS q_attempts, c.fence AS q_fence, c.visible_at AS q_visible_at,
                   CAST(NULL AS VARCHAR) AS database, CAST(NULL AS VARCHAR) AS table_name,
                   CAST(NULL AS VARCHAR) AS actions, CAST(NULL AS BOOLEAN) AS dry_run, CAST(NULL AS VARCHAR) AS status,
                   CAST(NULL AS TIMESTAMPTZ) AS submitted_at, CAST(NULL AS TIMESTAMPTZ) AS started_at,
                   CAST(NULL AS TIMESTAMPTZ) AS completed_at, CAST(NULL AS VARCHAR) AS error,
                   CAST(NULL AS INTEGER) AS attempts, CAST(NULL AS VARCHAR) AS triggered_by,
                   CAST(NULL AS TIMESTAMPTZ) AS stop_confirmed_at, CAST(NULL AS BOOLEAN) AS has_results,
                   CAST(NULL AS VARCHAR) AS l_key, CAST(NULL AS TIMESTAMPTZ) AS l_acquired_at,
                   CAST(NULL AS TIMESTAMPTZ) AS l_expires_at, CAST(NULL AS BIGINT) AS l_fence
              FROM claimed c
            UNION ALL
            SELECT 'job', s.job_id, NULL, NULL, NULL, NULL, NULL, s.database, s.table_name, s.actions, s.dry_run,
                   s.status, s.submitted_at, s.started_at, s.completed_at, s.error, s.attempts, s.triggered_by,
                   s.stop_confirmed_at, s.has_results, NULL, NULL, NULL, NULL
              FROM started s
            UNION ALL
            SELECT 'lock', l.holder, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                   NULL, NULL, NULL, NULL, NULL, l.table_key, l.acquired_at, l.expires_at, l.fence
              FROM locked l""";

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

    /** A claimed job: its claim, and its job and lease when the statement started it. */
    private record Claimed(Claim claim, Instant visibleAt, Job job, Lease lease, boolean hasResults) {
    }

    /** A started job as the statement returned it, with whether it has results of earlier attempts. */
    private record Started(Job job, boolean hasResults) {
    }

    List<StartedJob> claimAndStart(SnowpackStore store, String workerId, int max, Duration lockTtl) {
        SnowpackStore.requireClaimable(max, lockTtl);
        Objects.requireNonNull(workerId, "workerId");
        List<Claimed> rows = connections.withConnection(c -> {
            try (PreparedStatement claim = c.prepareStatement(claimAndStart.text())) {
                claimAndStart.bind(claim, sql, "worker", workerId, "max", max, "delay_micros", Sql.micros(lockTtl));
                try (ResultSet rs = claim.executeQuery()) {
                    return claimed(rs, max);
                }
            }
        });
        List<StartedJob> started = new ArrayList<>();
        rows.stream().sorted(Comparator.comparing(Claimed::visibleAt).thenComparing(r -> r.claim().fence()))
                .forEach(row -> {
                    if (row.job() == null) {
                        JobDispatch.startClaimed(store, row.claim(), lockTtl).ifPresent(started::add);
                    } else {
                        Job job = row.hasResults() ? jobs.find(row.job().jobId()).orElse(row.job()) : row.job();
                        started.add(new StartedJob(row.claim(), job, row.lease()));
                    }
                });
        return started;
    }

    /**
     * The claimed jobs from the statement's three kinds of rows (claims, started jobs, locks taken), joined here by
     * job id. A job counts as started only with its lock: the statement starts only jobs whose lock it took.
     */
    private static List<Claimed> claimed(ResultSet rs, int max) throws SQLException {
        List<Claim> claims = new ArrayList<>(max);
        Map<String, Instant> visibleAt = new HashMap<>();
        Map<String, Started> startedJobs = new HashMap<>();
        Map<String, Lease> leases = new HashMap<>();
        while (rs.next()) {
            String jobId = rs.getString("job_id");
            switch (rs.getString("row_kind")) {
                case "claim" -> {
                    claims.add(new Claim(new JobId(jobId), rs.getString("q_claimed_by"), rs.getLong("q_fence"),
                            rs.getInt("q_attempts"), Sql.instant(rs, "q_claimed_at")));
                    visibleAt.put(jobId, Sql.instant(rs, "q_visible_at"));
                }
                case "job" -> startedJobs.put(jobId, new Started(JdbcJobStore.job(rs, null),
                        rs.getBoolean("has_results")));
                case "lock" -> leases.put(jobId, new Lease(rs.getString("l_key"), jobId, rs.getLong("l_fence"),
                        Sql.instant(rs, "l_acquired_at"), Sql.instant(rs, "l_expires_at")));
                default -> throw new IllegalStateException("unknown row kind " + rs.getString("row_kind"));
            }
        }
        List<Claimed> claimed = new ArrayList<>(claims.size());
        for (Claim claim : claims) {
            String jobId = claim.jobId().value();
            Started job = startedJobs.get(jobId);
            Lease lease = leases.get(jobId);
            claimed.add(job == null || lease == null
                    ? new Claimed(claim, visibleAt.get(jobId), null, null, false)
                    : new Claimed(claim, visibleAt.get(jobId), job.job(), lease, job.hasResults()));
        }
        return claimed;
    }
}
