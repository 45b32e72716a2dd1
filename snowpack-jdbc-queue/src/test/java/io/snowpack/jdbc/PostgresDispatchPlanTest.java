package io.snowpack.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker's two statements per job cost the same with a long job history and a long queue as with neither: the
 * claim-and-start and the batch completion reach {@code jobs}, {@code job_queue} and {@code table_locks} through an
 * index, never by a scan of every job ever kept ({@code sweeper.job_retention} is 90 days) or of the queue. Checked on the generic plan PostgreSQL uses for a prepared statement after its
 * fifth run, which knows nothing about the batch size, with statistics gathered before a burst of submits (as
 * autovacuum's would be in the middle of one).
 */
class PostgresDispatchPlanTest {
    private static final int JOBS = 50_000;
    private static final int BURST = 20_000;

    private static Jdbi jdbi;
    private static String schema;
    private static Sql sql;

    @BeforeAll
    static void fill() {
        DataSource dataSource = TestDatabases.postgres();
        schema = TestDatabases.newSchema(dataSource, "dispatch_plan");
        jdbi = Jdbi.create(dataSource);
        jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        sql = new Sql(schema, Dialect.POSTGRESQL, null);
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO " + schema + ".jobs (job_id, database, table_name, actions, dry_run, status,"
                    + " submitted_at, completed_at, attempts, triggered_by)"
                    + " SELECT md5(i::text), 'db', 't_' || (i % 1000), 'expire_snapshots', false, 'completed',"
                    + " now(), now(), 1, 'orchestrator' FROM generate_series(1, ?) AS i", JOBS);
            h.execute("INSERT INTO " + schema + ".job_queue (job_id, visible_at, attempts, fence)"
                    + " SELECT md5(i::text), now(), 0, 0 FROM generate_series(1, 20) AS i");
            h.execute("UPDATE " + schema + ".jobs SET status = 'pending', completed_at = NULL"
                    + " WHERE job_id IN (SELECT job_id FROM " + schema + ".job_queue)");
            h.execute("ANALYZE " + schema + ".jobs");
            h.execute("ANALYZE " + schema + ".job_queue");
            h.execute("ANALYZE " + schema + ".table_locks");
            // The burst, after the statistics: half of it claimed and running, half waiting, every job with its lock.
            h.execute("INSERT INTO " + schema + ".jobs (job_id, database, table_name, actions, dry_run, status,"
                    + " submitted_at, attempts, triggered_by)"
                    + " SELECT 'burst' || i, 'db', 'burst_' || i, 'expire_snapshots', false,"
                    + " CASE WHEN i % 2 = 0 THEN 'running' ELSE 'pending' END, now(), i % 2, 'orchestrator'"
                    + " FROM generate_series(1, ?) AS i", BURST);
            h.execute("INSERT INTO " + schema + ".job_queue (job_id, visible_at, claimed_at, claimed_by, attempts,"
                    + " fence) SELECT 'burst' || i, now(), CASE WHEN i % 2 = 0 THEN now() END, 'w', i % 2, i"
                    + " FROM generate_series(1, ?) AS i", BURST);
            h.execute("INSERT INTO " + schema + ".table_locks (table_key, holder, acquired_at, expires_at, fence)"
                    + " SELECT 'db.burst_' || i, 'burst' || i, now(), now() + interval '1 hour', i"
                    + " FROM generate_series(1, ?) AS i", BURST);
        });
    }

    @Test
    void claimAndStartProbesTheClaimedJobsByKey() {
        String plan = genericPlan(PostgresJobStarts.CLAIM_AND_START,
                new String[][] {{"worker", "text", "'w'"}, {"max", "integer", "10"},
                        {"delay_micros", "bigint", "3600000000"}});

        assertThat(plan).containsPattern("Index (Only )?Scan (using|on) jobs_\\w+")
                .doesNotContain("Seq Scan on jobs").doesNotContain("Seq Scan on job_queue");
    }

    @Test
    void aBatchCompletionProbesItsJobsQueueRowsAndLocksByKey() {
        String plan = genericPlan(PostgresCompletions.COMPLETE, new String[][] {
                {"job_ids", "text[]", "'{burst2,burst4}'"}, {"fences", "bigint[]", "'{2,4}'"},
                {"lock_keys", "text[]", "'{db.burst_2,db.burst_4}'"}, {"lock_holders", "text[]", "'{burst2,burst4}'"},
                {"lock_fences", "bigint[]", "'{2,4}'"}, {"r_job_ids", "text[]", "'{burst2}'"},
                {"r_ords", "integer[]", "'{1}'"}, {"r_actions", "text[]", "'{expire_snapshots}'"},
                {"r_successes", "boolean[]", "'{true}'"}, {"r_messages", "text[]", "'{ok}'"},
                {"r_errors", "text[]", "'{NULL}'"}, {"r_elapsed", "double precision[]", "'{0.1}'"},
                {"r_metrics", "text[]", "'{\"{}\"}'"}});

        assertThat(plan).containsPattern("Index (Only )?Scan (using|on) jobs_\\w+")
                .doesNotContain("Seq Scan on jobs").doesNotContain("Seq Scan on job_queue")
                .doesNotContain("Seq Scan on table_locks");
    }

    /**
     * The plan of {@code template} as a prepared statement forced generic: each named parameter (name, type, value)
     * becomes {@code $n} in the order given.
     */
    private static String genericPlan(String template, String[][] parameters) {
        String rendered = sql.render(template);
        StringBuilder types = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < parameters.length; i++) {
            rendered = rendered.replaceAll(":" + parameters[i][0] + "\\b", "\\$" + (i + 1));
            types.append(i == 0 ? "" : ", ").append(parameters[i][1]);
            values.append(i == 0 ? "" : ", ").append(parameters[i][2]);
        }
        String statement = rendered;
        return jdbi.withHandle(h -> {
            h.execute("SET plan_cache_mode = force_generic_plan");
            h.execute("PREPARE probe (" + types + ") AS " + statement);
            try {
                List<String> lines = h.createQuery("EXPLAIN EXECUTE probe (" + values + ")").mapTo(String.class)
                        .list();
                return String.join("\n", lines);
            } finally {
                h.execute("DEALLOCATE probe");
                h.execute("RESET plan_cache_mode");
            }
        });
    }
}
