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

/**
 * Completes jobs on PostgreSQL in one transaction, so one commit: the fenced delete of their queue rows, the move of
 * exactly those jobs to {@code completed}, their last results and the release of their table locks, each keyed on
 * the queue rows the first step removed. A completion whose claim was revoked matches no queue row, so nothing is
 * written for it. Every row is reached by its key, whatever the size of the tables:
 * <ul>
 *   <li>a single job is one statement of data-modifying CTEs naming its rows by equality, whose generic plan probes
 *       the keys;</li>
 *   <li>a batch is one call of {@code settle_jobs} (migration V11) with its values as arrays. The function plans its
 *       statement once per session with scans and hash or merge joins disabled, so the plan it keeps probes each key
 *       even when it was drawn up on a young schema and the queue has grown since. A batch statement sent with its
 *       values had to be planned on every run for that (a prepared statement's kept plan scanned the queue, 1,575
 *       pages late in a run for a 16-job settle), and parsing and planning it took about a sixth of PostgreSQL's
 *       time per job. The function keeps a result when its job is among the settled ones by a scan of their array,
 *       so a batch of more than {@link #MOST_PER_CALL} jobs is sent as several calls in one transaction (the
 *       caller's, or one of the store's own).</li>
 * </ul>
 * A queue row counts as claimed by its {@code claimed_by}, as in {@link JdbcJobQueue}'s fenced writes.
 */
final class PostgresCompletions {
    /** Jobs per call of {@code settle_jobs}: its scans of the settled jobs' array stay well under a millisecond. */
    static final int MOST_PER_CALL = 256;
    /** The batch settle: the settle time, then the claims', the results' and the locks' arrays (see V11). */
    static final String SETTLE_BATCH = "SELECT * FROM ${s}.settle_jobs(${now}, "
            + String.join(", ", Collections.nCopies(13, "?")) + ")";

    private final Connections connections;
    private final Sql sql;
    private final PlainStatement batch;
    /** A single job's settle by its number of results, rendered once each. */
    private final Map<Integer, PlainStatement> singles = new ConcurrentHashMap<>();

    PostgresCompletions(Connections connections, Sql sql) {
        this.connections = connections;
        this.sql = sql;
        this.batch = PlainStatement.of(sql, SETTLE_BATCH);
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
        if (completions.size() == 1) {
            Completion only = completions.iterator().next();
            return connections.withConnection(c -> settleOne(c, only));
        }
        if (completions.size() <= MOST_PER_CALL) {
            return connections.withConnection(c -> settleBatch(c, completions));
        }
        List<Completion> all = List.copyOf(completions);
        return connections.inTransaction(h -> {
            Set<JobId> completed = new LinkedHashSet<>();
            for (int from = 0; from < all.size(); from += MOST_PER_CALL) {
                List<Completion> part = all.subList(from, Math.min(all.size(), from + MOST_PER_CALL));
                completed.addAll(connections.withConnection(c -> settleBatch(c, part)));
            }
            return completed;
        });
    }

    /** Settles one job on {@code c} with the single-job statement. */
    private Set<JobId> settleOne(Connection c, Completion completion) throws SQLException {
        PlainStatement statement = singles.computeIfAbsent(completion.results().size(),
                results -> PlainStatement.of(sql, single(results)));
        try (PreparedStatement complete = c.prepareStatement(statement.text())) {
            statement.bindInOrder(complete, sql, values(completion));
            return completedIn(complete);
        }
    }

    /** Settles {@code completions} on {@code c} with one call of {@code settle_jobs}. */
    private Set<JobId> settleBatch(Connection c, Collection<Completion> completions) throws SQLException {
        int jobs = completions.size();
        int results = completions.stream().mapToInt(completion -> completion.results().size()).sum();
        String[] claimJobs = new String[jobs];
        Long[] claimFences = new Long[jobs];
        String[] lockKeys = new String[jobs];
        String[] lockHolders = new String[jobs];
        Long[] lockFences = new Long[jobs];
        String[] resultJobs = new String[results];
        Integer[] ords = new Integer[results];
        String[] actions = new String[results];
        Boolean[] successes = new Boolean[results];
        String[] messages = new String[results];
        String[] errors = new String[results];
        Double[] elapsed = new Double[results];
        String[] metrics = new String[results];
        int job = 0;
        int result = 0;
        for (Completion completion : completions) {
            claimJobs[job] = completion.claim().jobId().value();
            claimFences[job] = completion.claim().fence();
            lockKeys[job] = completion.lease().key();
            lockHolders[job] = completion.lease().holder();
            lockFences[job] = completion.lease().fence();
            int ord = 0;
            for (ActionResult each : completion.results()) {
                resultJobs[result] = claimJobs[job];
                ords[result] = ++ord;
                actions[result] = each.action().wireName();
                successes[result] = each.success();
                messages[result] = each.message();
                errors[result] = each.error();
                elapsed[result] = each.elapsedSeconds();
                metrics[result] = Json.write(each.metrics());
                result++;
            }
            job++;
        }
        try (PreparedStatement complete = c.prepareStatement(batch.text())) {
            batch.bindInOrder(complete, sql, List.of(c.createArrayOf("varchar", claimJobs),
                    c.createArrayOf("int8", claimFences), c.createArrayOf("varchar", resultJobs),
                    c.createArrayOf("int4", ords), c.createArrayOf("varchar", actions),
                    c.createArrayOf("bool", successes), c.createArrayOf("varchar", messages),
                    c.createArrayOf("varchar", errors), c.createArrayOf("float8", elapsed),
                    c.createArrayOf("varchar", metrics), c.createArrayOf("varchar", lockKeys),
                    c.createArrayOf("varchar", lockHolders), c.createArrayOf("int8", lockFences)));
            return completedIn(complete);
        }
    }

    private static Set<JobId> completedIn(PreparedStatement complete) throws SQLException {
        Set<JobId> completed = new LinkedHashSet<>();
        try (ResultSet rs = complete.executeQuery()) {
            while (rs.next()) {
                completed.add(new JobId(rs.getString(1)));
            }
        }
        return completed;
    }

    /** A single job's values in the order of {@link #single}'s placeholders. */
    private static List<Object> values(Completion completion) {
        List<Object> values = new ArrayList<>();
        values.add(completion.claim().jobId().value());
        values.add(completion.claim().fence());
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
        values.add(completion.lease().key());
        values.add(completion.lease().holder());
        values.add(completion.lease().fence());
        return values;
    }

    /**
     * The statement settling one job that carries {@code results} results, with {@code ?} for each value: the
     * claim's job id and fence, then each result's eight values, then the lease's key, holder and fence.
     */
    static String single(int results) {
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
        return """
                WITH done AS (
                    DELETE FROM ${s}.job_queue q
                     WHERE q.job_id = CAST(? AS VARCHAR) AND q.fence = CAST(? AS BIGINT) AND q.claimed_by IS NOT NULL
                    RETURNING q.job_id
                ), finished AS (
                    UPDATE ${s}.jobs j SET status = 'completed', completed_at = ${now}
                     WHERE j.job_id = (SELECT job_id FROM done) AND j.status = 'running'
                    RETURNING j.job_id
                )%s, released AS (
                    DELETE FROM ${s}.table_locks l
                     WHERE l.table_key = CAST(? AS VARCHAR) AND l.holder = CAST(? AS VARCHAR)
                       AND l.fence = CAST(? AS BIGINT) AND l.holder IN (SELECT job_id FROM done)
                )
                SELECT job_id FROM finished""".formatted(recorded);
    }
}
