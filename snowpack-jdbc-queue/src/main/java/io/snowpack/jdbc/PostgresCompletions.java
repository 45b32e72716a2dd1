package io.snowpack.jdbc;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Completion;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Completes a batch of jobs on PostgreSQL in one statement, so one commit: the fenced delete of their queue rows,
 * the move of exactly those jobs to {@code completed}, their last results and the release of their table locks are
 * data-modifying CTEs of a single {@code WITH}, each keyed on the queue rows the first one removed. A completion
 * whose claim was revoked matches no queue row, so nothing is written for it.
 */
final class PostgresCompletions {
    /**
     * Every list is an array parameter, so there is one statement text whatever the batch: the claims' job ids and
     * fences, their leases' keys, holders and fences, and the results' columns. Queue rows and locks are reached by
     * {@code = ANY} on their keys (an index probe per job, however long the queue or how stale its statistics), then
     * matched on the whole (key, fence) against the batch.
     */
    static final String COMPLETE = """
            WITH settled AS (
                SELECT * FROM unnest(CAST(:job_ids AS text[]), CAST(:fences AS bigint[]), CAST(:lock_keys AS text[]),
                                     CAST(:lock_holders AS text[]), CAST(:lock_fences AS bigint[]))
                       AS s(job_id, fence, lock_key, lock_holder, lock_fence)
            ), done AS (
                DELETE FROM ${s}.job_queue q
                 WHERE q.job_id = ANY (CAST(:job_ids AS text[])) AND q.claimed_at IS NOT NULL
                   AND (q.job_id, q.fence) IN (SELECT job_id, fence FROM settled)
                RETURNING q.job_id
            ), finished AS (
                UPDATE ${s}.jobs SET status = 'completed', completed_at = ${now}
                 WHERE job_id = ANY (ARRAY(SELECT job_id FROM done)) AND status = 'running'
                RETURNING job_id
            ), recorded AS (
                INSERT INTO ${s}.job_actions (job_id, seq, action, success, message, error, elapsed_seconds, metrics,
                                              recorded_at)
                SELECT r.job_id, COALESCE((SELECT MAX(a.seq) FROM ${s}.job_actions a WHERE a.job_id = r.job_id), 0)
                           + r.ord, r.action, r.success, r.message, r.error, r.elapsed, r.metrics, ${now}
                  FROM unnest(CAST(:r_job_ids AS text[]), CAST(:r_ords AS integer[]), CAST(:r_actions AS text[]),
                              CAST(:r_successes AS boolean[]), CAST(:r_messages AS text[]),
                              CAST(:r_errors AS text[]), CAST(:r_elapsed AS double precision[]),
                              CAST(:r_metrics AS text[]))
                       AS r (job_id, ord, action, success, message, error, elapsed, metrics)
                 WHERE r.job_id IN (SELECT job_id FROM finished)
            ), released AS (
                DELETE FROM ${s}.table_locks l
                 WHERE l.table_key = ANY (CAST(:lock_keys AS text[]))
                   AND (l.table_key, l.holder, l.fence) IN (SELECT lock_key, lock_holder, lock_fence FROM settled)
                   AND l.holder IN (SELECT job_id FROM done)
            )
            SELECT job_id FROM finished""";

    private final Connections connections;
    private final Sql sql;
    private final PlainStatement statement;

    PostgresCompletions(Connections connections, Sql sql) {
        this.connections = connections;
        this.sql = sql;
        this.statement = PlainStatement.of(sql, COMPLETE);
    }

    Set<JobId> complete(Collection<Completion> completions) {
        if (completions.isEmpty()) {
            return Set.of();
        }
        Set<JobId> seen = new HashSet<>();
        int jobs = completions.size();
        String[] jobIds = new String[jobs];
        Long[] fences = new Long[jobs];
        String[] lockKeys = new String[jobs];
        String[] lockHolders = new String[jobs];
        Long[] lockFences = new Long[jobs];
        List<Object[]> results = new ArrayList<>();
        int j = 0;
        for (Completion completion : completions) {
            JobId jobId = completion.claim().jobId();
            if (!seen.add(jobId)) {
                throw new IllegalArgumentException("two completions of job " + jobId);
            }
            jobIds[j] = jobId.value();
            fences[j] = completion.claim().fence();
            lockKeys[j] = completion.lease().key();
            lockHolders[j] = completion.lease().holder();
            lockFences[j] = completion.lease().fence();
            j++;
            int ord = 0;
            for (ActionResult result : completion.results()) {
                results.add(new Object[] {jobId.value(), ++ord, result.action().wireName(), result.success(),
                        result.message(), result.error(), result.elapsedSeconds(), Json.write(result.metrics())});
            }
        }
        return connections.withConnection(c -> {
            try (PreparedStatement complete = c.prepareStatement(statement.text())) {
                statement.bind(complete, sql,
                        "job_ids", c.createArrayOf("text", jobIds),
                        "fences", c.createArrayOf("int8", fences),
                        "lock_keys", c.createArrayOf("text", lockKeys),
                        "lock_holders", c.createArrayOf("text", lockHolders),
                        "lock_fences", c.createArrayOf("int8", lockFences),
                        "r_job_ids", c.createArrayOf("text", column(results, 0, String[]::new)),
                        "r_ords", c.createArrayOf("int4", column(results, 1, Integer[]::new)),
                        "r_actions", c.createArrayOf("text", column(results, 2, String[]::new)),
                        "r_successes", c.createArrayOf("bool", column(results, 3, Boolean[]::new)),
                        "r_messages", c.createArrayOf("text", column(results, 4, String[]::new)),
                        "r_errors", c.createArrayOf("text", column(results, 5, String[]::new)),
                        "r_elapsed", c.createArrayOf("float8", column(results, 6, Double[]::new)),
                        "r_metrics", c.createArrayOf("text", column(results, 7, String[]::new)));
                Set<JobId> completed = new LinkedHashSet<>();
                try (ResultSet rs = complete.executeQuery()) {
                    while (rs.next()) {
                        completed.add(new JobId(rs.getString(1)));
                    }
                }
                return completed;
            }
        });
    }

    /** Field {@code index} of every result row, as an array for one {@code unnest} argument. */
    private static <T> T[] column(List<Object[]> rows, int index, IntFunction<T[]> newArray) {
        T[] column = newArray.apply(rows.size());
        for (int i = 0; i < column.length; i++) {
            @SuppressWarnings("unchecked")
            T value = (T) rows.get(i)[index];
            column[i] = value;
        }
        return column;
    }
}
