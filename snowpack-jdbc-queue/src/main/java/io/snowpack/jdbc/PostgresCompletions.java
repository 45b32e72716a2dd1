package io.snowpack.jdbc;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Completion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes a batch of jobs on PostgreSQL in one transaction, so one commit: the fenced delete of their queue rows,
 * the move of exactly those jobs to {@code completed}, their last results and the release of their table locks are
 * data-modifying CTEs of a single {@code WITH} (one per job for a small batch, see below), each keyed on the queue
 * rows the first one removed. A completion whose claim was revoked matches no queue row, so nothing is written for
 * it. Every row is reached by its key: a single job's by equalities, a batch's by joining on a {@code VALUES} list
 * or on the rows an earlier CTE returned, which the planner answers with one probe of the key per row once a table
 * is more than a few pages (a row-constructor {@code IN} list or an {@code = ANY} array was priced as a scan of the
 * table, which a prepared statement's generic plan then kept as the table grew).
 *
 * <p>A small batch (fewer than {@link #PLANNED_ON_EVERY_RUN_FROM} jobs) is settled job by job in one transaction: each
 * single-job settle keeps its generic plan, where planning a batch statement (0.5 ms) took longer than running it.
 * A queue row counts as claimed by its {@code claimed_by}, as in {@link JdbcJobQueue}'s fenced writes.
 */
final class PostgresCompletions {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCompletions.class);
    /**
     * Settles of this many jobs or more join on {@code VALUES} lists and are planned on every run
     * ({@link #planOnEveryRun}); fewer are sent as single-job settles, which name their keys as plain equalities
     * that even the generic plan of a young table answers with a probe of the key, so they are not planned per job.
     */
    static final int PLANNED_ON_EVERY_RUN_FROM = 6;

    private final Connections connections;
    private final Sql sql;
    /** The settle statement by shape, rendered once each (shapes are bounded by the claim batch and the actions). */
    private final Map<Shape, PlainStatement> statements = new ConcurrentHashMap<>();

    /** A settle's size: jobs, and their results in all (a single job's settle: 1 and its results). */
    private record Shape(int jobs, int results) {
        boolean single() {
            return jobs == 1;
        }

        /**
         * Mixed, because the usual shapes have {@code results} a multiple of {@code jobs}: a record's own hash
         * ({@code 31 * jobs + results}) then leaves the low bits zero, and the map put every shape in one bin.
         */
        @Override
        public int hashCode() {
            return Long.hashCode((((long) jobs << 32) | results) * 0x9E3779B97F4A7C15L);
        }
    }

    PostgresCompletions(Connections connections, Sql sql) {
        this.connections = connections;
        this.sql = sql;
    }

    Set<JobId> complete(Collection<Completion> completions) {
        if (completions.isEmpty()) {
            return Set.of();
        }
        Set<JobId> seen = new HashSet<>();
        for (Completion completion : completions) {
            if (!seen.add(completion.claim().jobId())) {
                throw new IllegalArgumentException("two completions of job " + completion.claim().jobId());
            }
        }
        boolean small = completions.size() > 1 && completions.size() < PLANNED_ON_EVERY_RUN_FROM;
        return connections.withConnection(c -> small ? oneByOne(c, completions) : settle(c, completions));
    }

    /** Settles {@code completions} in one statement on {@code c}: the single-job form for one, a batch for more. */
    private Set<JobId> settle(Connection c, Collection<Completion> completions) throws SQLException {
        int results = completions.stream().mapToInt(completion -> completion.results().size()).sum();
        Shape shape = new Shape(completions.size(), results);
        PlainStatement statement = statements.computeIfAbsent(shape, k -> PlainStatement.of(sql, template(k)));
        try (PreparedStatement complete = c.prepareStatement(statement.text())) {
            if (!shape.single()) {
                planOnEveryRun(complete);
            }
            statement.bindInOrder(complete, sql, values(completions));
            Set<JobId> completed = new LinkedHashSet<>();
            try (ResultSet rs = complete.executeQuery()) {
                while (rs.next()) {
                    completed.add(new JobId(rs.getString(1)));
                }
            }
            return completed;
        }
    }

    /**
     * A small batch as single-job settles, one after the other in one transaction on {@code c} (the caller's, or one
     * of its own on a pooled connection): one commit, and no statement planned on the way.
     */
    private Set<JobId> oneByOne(Connection c, Collection<Completion> completions) throws SQLException {
        if (!c.getAutoCommit()) { // already in a transaction, which commits
            return settleEach(c, completions);
        }
        c.setAutoCommit(false);
        try {
            Set<JobId> completed = settleEach(c, completions);
            c.commit();
            return completed;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) { // a broken connection: the pool discards it, the settle is retried
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            restoreAutoCommit(c);
        }
    }

    /**
     * Hands the connection back to the pool as it came. When even that fails, the connection is broken and the pool
     * (which resets auto-commit on return anyway) discards it; what was settled stays settled, so nothing is thrown.
     */
    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException broken) {
            LOG.debug("Could not restore auto-commit on a settle connection: {}", broken.toString());
        }
    }

    private Set<JobId> settleEach(Connection c, Collection<Completion> completions) throws SQLException {
        Set<JobId> completed = new LinkedHashSet<>();
        for (Completion completion : completions) {
            completed.addAll(settle(c, List.of(completion)));
        }
        return completed;
    }

    /** The values of {@code completions} in the order of the settle's placeholders (see {@link #template}). */
    private static List<Object> values(Collection<Completion> completions) {
        List<Object> values = new ArrayList<>();
        for (Completion completion : completions) {
            values.add(completion.claim().jobId().value());
            values.add(completion.claim().fence());
        }
        for (Completion completion : completions) {
            int ord = 0;
            for (ActionResult result : completion.results()) {
                values.add(completion.claim().jobId().value());
                values.add(++ord);
                values.add(result.action().wireName());
                values.add(result.success());
                values.add(result.message());
                values.add(result.error());
                values.add(result.elapsedSeconds());
                values.add(Json.write(result.metrics()));
            }
        }
        for (Completion completion : completions) {
            values.add(completion.lease().key());
            values.add(completion.lease().holder());
            values.add(completion.lease().fence());
        }
        return values;
    }

    /**
     * Has PostgreSQL plan the settle on every run instead of keeping the generic plan a prepared statement settles on
     * after its fifth: that plan was drawn up while {@code job_queue} was a few pages and scans it, and the queue
     * grows by a dead row version per claim and settle until autovacuum comes by (once a minute by default), so a
     * settle that probed 16 keys read 1,575 pages. Planned with the table's size at the time, the probes win. The
     * planning is shared by every job of the batch, so only batches of {@link #PLANNED_ON_EVERY_RUN_FROM} or more
     * pay it.
     */
    private static void planOnEveryRun(PreparedStatement statement) throws SQLException {
        if (statement.isWrapperFor(PGStatement.class)) {
            statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
    }

    /**
     * The statement for {@code jobs} completions carrying {@code results} results in all, with {@code ?} for each
     * value: the claims' (job id, fence) pairs, then each result's eight values, then the leases' (key, holder,
     * fence).
     */
    static String template(int jobs, int results) {
        return template(new Shape(jobs, results));
    }

    private static String template(Shape shape) {
        int jobs = shape.jobs();
        int results = shape.results();
        String claims = String.join(", ", Collections.nCopies(jobs,
                "(CAST(? AS VARCHAR), CAST(? AS BIGINT))"));
        String locks = String.join(", ", Collections.nCopies(jobs,
                "(CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT))"));
        String recorded = results == 0 ? "" : """
                , recorded AS (
                    INSERT INTO ${s}.job_actions (job_id, seq, action, success, message, error, elapsed_seconds, metrics,
                                                  recorded_at)
                    SELECT r.job_id, COALESCE((SELECT MAX(a.seq) FROM ${s}.job_actions a WHERE a.job_id = r.job_id), 0)
                               + r.ord, r.action, r.success, r.message, r.error, r.elapsed, r.metrics, ${now}
                      FROM (VALUES %s) AS r (job_id, ord, action, success, message, error, elapsed, metrics)
                     WHERE r.job_id IN (SELECT job_id FROM finished)
                )""".formatted(String.join(", ", Collections.nCopies(results, "(CAST(? AS VARCHAR), "
                + "CAST(? AS INTEGER), CAST(? AS VARCHAR), CAST(? AS BOOLEAN), CAST(? AS VARCHAR), CAST(? AS VARCHAR), "
                + "CAST(? AS DOUBLE PRECISION), CAST(? AS VARCHAR))")));
        boolean single = shape.single();
        String done = single ? """
                    DELETE FROM ${s}.job_queue q
                     WHERE q.job_id = CAST(? AS VARCHAR) AND q.fence = CAST(? AS BIGINT) AND q.claimed_by IS NOT NULL
                """ : """
                    DELETE FROM ${s}.job_queue q
                     USING (VALUES %s) AS c (job_id, fence)
                     WHERE q.job_id = c.job_id AND q.fence = c.fence AND q.claimed_by IS NOT NULL
                """.formatted(claims);
        String released = single ? """
                    DELETE FROM ${s}.table_locks l
                     WHERE l.table_key = CAST(? AS VARCHAR) AND l.holder = CAST(? AS VARCHAR)
                       AND l.fence = CAST(? AS BIGINT) AND l.holder IN (SELECT job_id FROM done)
                """ : """
                    DELETE FROM ${s}.table_locks l
                     USING (VALUES %s) AS k (table_key, holder, fence), done d
                     WHERE l.table_key = k.table_key AND l.holder = k.holder AND l.fence = k.fence
                       AND d.job_id = k.holder
                """.formatted(locks);
        return """
                WITH done AS (
                %s    RETURNING q.job_id
                ), finished AS (
                    UPDATE ${s}.jobs j SET status = 'completed', completed_at = ${now}
                %s
                    RETURNING j.job_id
                )%s, released AS (
                %s)
                SELECT job_id FROM finished""".formatted(done, single ? """
                     WHERE j.job_id = (SELECT job_id FROM done) AND j.status = 'running'""" : """
                      FROM done d
                     WHERE j.job_id = d.job_id AND j.status = 'running'""", recorded, released);
    }
}
