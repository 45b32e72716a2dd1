package io.snowpack.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker's two statements per job cost the same with a long job history as with none: the claim-and-start and the
 * batch completion reach the {@code jobs} table by key, never by a scan of every job ever kept
 * ({@code sweeper.job_retention} is 90 days) nor by a walk through every pending job. Checked on the generic plan
 * PostgreSQL uses for a prepared statement after its fifth run, which knows nothing about the batch size. And a
 * job's start adds no index entry.
 */
class PostgresDispatchPlanTest {
    private static final int JOBS = 50_000;

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
        });
    }

    /**
     * The claim-and-start probes each claimed job by key, and never joins one CTE's rows with another's: such a join
     * is a nested loop comparing every claimed job with every other (a {@code Join Filter}).
     */
    @Test
    void claimAndStartProbesTheClaimedJobsByKey() {
        String plan = genericPlan(PostgresJobStarts.CLAIM_AND_START, "text, integer, bigint",
                "'w', 10, 3600000000");

        assertThat(plan).contains("Index Scan using jobs_pkey on jobs").doesNotContain("jobs_status_idx")
                .doesNotContain("Seq Scan on jobs").doesNotContain("Join Filter");
    }

    /**
     * A batch settle is one call of {@code settle_jobs}, whose statement keeps the plan drawn up at its first call in a
     * session. Drawn up on a young schema (every table empty), that plan still probes the queue, the jobs, the results
     * and the locks by key once the queue holds 5,000 claimed rows that no statistics know about, as a burst leaves it
     * between two passes of autovacuum. The plan is the one the call ran, logged by {@code auto_explain} to the
     * session as a notice.
     */
    @Test
    void aBatchSettleKeepsAPlanThatProbesEveryKeyWhateverTheTablesSizeWhenItWasDrawnUp() throws Exception {
        String young = TestDatabases.newSchema(TestDatabases.postgres(), "settle_plan");
        String call = PlainStatement.of(new Sql(young, Dialect.POSTGRESQL, null), PostgresCompletions.SETTLE_BATCH)
                .text();
        try (Connection c = TestDatabases.postgresUnpooled().getConnection()) {
            assertThat(settleUnknownJobs(c, call)).as("the first call, which draws up the plan").isEmpty();
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO " + young + ".job_queue (job_id, visible_at, attempts, fence, claimed_at,"
                        + " claimed_by) SELECT 'burst-' || i, now(), 1, 1, now(), 'w' FROM generate_series(1, 5000)"
                        + " AS i");
                s.execute("LOAD 'auto_explain'");
                s.execute("SET auto_explain.log_min_duration = 0");
                s.execute("SET auto_explain.log_nested_statements = on");
                s.execute("SET auto_explain.log_level = notice");
            }

            String plan = settleUnknownJobs(c, call);

            assertThat(plan).contains("Index Scan using job_queue_pkey on job_queue",
                    "Index Scan using jobs_pkey on jobs", "Index Scan using table_locks_pkey on table_locks")
                    .containsPattern("Index (Only )?Scan (Backward )?using job_actions_pkey on job_actions")
                    .doesNotContain("Seq Scan").doesNotContain("Hash Join");
        }
    }

    /** Settles two jobs that do not exist on {@code c} and answers the notices the call raised. */
    private static String settleUnknownJobs(Connection c, String call) throws SQLException {
        try (PreparedStatement settle = c.prepareStatement(call)) {
            int position = 0;
            settle.setArray(++position, c.createArrayOf("varchar", new String[] {"a", "b"}));
            settle.setArray(++position, c.createArrayOf("int8", new Long[] {1L, 2L}));
            settle.setArray(++position, c.createArrayOf("varchar", new String[] {"a"}));
            settle.setArray(++position, c.createArrayOf("int4", new Integer[] {1}));
            settle.setArray(++position, c.createArrayOf("varchar", new String[] {"expire_snapshots"}));
            settle.setArray(++position, c.createArrayOf("bool", new Boolean[] {true}));
            settle.setArray(++position, c.createArrayOf("varchar", new String[] {"ok"}));
            settle.setArray(++position, c.createArrayOf("varchar", new String[] {null}));
            settle.setArray(++position, c.createArrayOf("float8", new Double[] {0.1}));
            settle.setArray(++position, c.createArrayOf("varchar", new String[] {"{}"}));
            settle.setArray(++position, c.createArrayOf("varchar", new String[] {"db.t", "db.u"}));
            settle.setArray(++position, c.createArrayOf("varchar", new String[] {"a", "b"}));
            settle.setArray(++position, c.createArrayOf("int8", new Long[] {1L, 2L}));
            try (ResultSet rs = settle.executeQuery()) {
                assertThat(rs.next()).as("settled jobs").isFalse();
            }
            StringBuilder notices = new StringBuilder();
            for (SQLWarning w = settle.getWarnings(); w != null; w = w.getNextWarning()) {
                notices.append(w.getMessage()).append('\n');
            }
            return notices.toString();
        }
    }

    /** A single job's settle, kept as a generic plan, probes its job by key. */
    @Test
    void aSingleCompletionProbesItsRowsByKey() {
        String plan = genericPlan(PostgresCompletions.single(1),
                "text, bigint, text, integer, text, boolean, text, text, double precision, text, text, text, bigint",
                "'a', 1, 'a', 1, 'expire_snapshots', true, 'ok', NULL, 0.1, '{}', 'db.t', 'a', 1");

        // The queue here is one page, which a scan reads as cheaply as a probe: only the job history must be probed.
        assertThat(plan).contains("Index Scan using jobs_pkey on jobs", "using table_locks_pkey on table_locks")
                .doesNotContain("Seq Scan on jobs");
    }

    /**
     * One submit is one statement with one generic plan (plain values, not arrays whose length PostgreSQL cannot know
     * and so plans again on every run), and that plan checks the table's unfinished jobs by key, not by a scan of the
     * job history.
     */
    @Test
    void aSingleSubmitChecksItsTableByKeyWithOneGenericPlan() {
        assertThat(PlainStatement.of(sql, PostgresJobAdmissions.QUEUE_ONE).text().chars().filter(c -> c == '?'))
                .as("job id, database, table, actions, trigger, table key, drain check, drain setting, lock TTL, "
                        + "channel, notify").hasSize(11);

        String plan = plan(PostgresJobAdmissions.QUEUE_ONE, "force_generic_plan",
                "text, text, text, text, text, text, boolean, text, bigint, text, boolean",
                "'x', 'db', 't_7', 'expire_snapshots', 'api', 'db.t_7', true, 'drain_mode', 3600000000, '', false");

        assertThat(plan).containsPattern("Index (Only )?Scan using jobs_\\w+ on jobs")
                .doesNotContain("Seq Scan on jobs");
    }

    /**
     * "When was this table last maintained?" (every plan and orchestrator assessment) reads the table's own jobs,
     * newest first, through {@code jobs_table_idx}: no index covers {@code completed_at} any more (a completion would
     * write an entry in it), and the history is never scanned.
     */
    @Test
    void theLastCompletionOfATableReadsOnlyThatTablesJobsNewestFirst() {
        String plan = plan(JdbcJobStore.LAST_COMPLETION_POSTGRES, "force_generic_plan", "text, text", "'db', 't_7'");

        assertThat(plan).contains("Limit", "Index Scan using jobs_table_idx on jobs").doesNotContain("Seq Scan", "Sort");
        long lastCompletedIndexes = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM pg_indexes"
                        + " WHERE schemaname = :schema AND tablename = 'jobs' AND indexname = 'jobs_last_completed_idx'")
                .bind("schema", schema).mapTo(Long.class).one());
        assertThat(lastCompletedIndexes).as("dropped by V12").isZero();
    }

    /**
     * A claim takes at most {@code max} queue rows whatever plan PostgreSQL picks: the {@code SKIP LOCKED}
     * candidates are a materialized CTE, read once. Joined directly, the {@code LIMIT} subquery could be the inner
     * side of a nested loop; each rescan skipped the rows the statement had already updated and locked the next
     * ones, so a claim took more rows than asked and the worker's count of free slots went negative (seen in the
     * end-to-end benchmark). Checked on the generic plan, and by a claim under planner settings that make every
     * join a nested loop with nothing materialized.
     */
    @Test
    void aClaimReadsItsCandidatesOnceAndTakesAtMostMax() {
        String plan = genericPlan(PostgresJobStarts.CLAIM_AND_START, "text, integer, bigint", "'w', 10, 3600000000");
        assertThat(plan).contains("CTE candidates").contains("CTE Scan on candidates")
                .doesNotContain("Subquery Scan on c");

        Long claimed = jdbi.inTransaction(h -> {
            for (String setting : List.of("enable_hashjoin", "enable_mergejoin", "enable_material", "enable_indexscan",
                    "enable_bitmapscan", "enable_indexonlyscan")) {
                h.execute("SET LOCAL " + setting + " = off");
            }
            long rows = claimRowsOfKind(h, sql, 2, "claim");
            h.rollback();
            return rows;
        });
        assertThat(claimed).isEqualTo(2L);
    }

    /**
     * Starting a job rewrites its row in place: no index of {@code jobs} mentions a column the start changes, and
     * pages keep room for the started rows (here: 2,000 jobs submitted in one burst fill their pages up to the fill
     * factor, and 200 of them start), so starts are HOT updates (counted by PostgreSQL within the transaction) that
     * add no index entries; at most the last row of a page moves. At a fill factor of 80 % about half of them moved.
     */
    @Test
    void startingAJobIsAHotUpdateOfItsRow() {
        long[] updates = claimAfterABurst("hot_start", false, 200, "jobs");

        assertThat(updates[0]).isEqualTo(200);
        assertThat(updates[1]).as("rows of jobs updated").isEqualTo(200);
        // The started row is a few bytes longer (started_at), so the last row of a page may not fit beside the others.
        assertThat(updates[2]).as("of which HOT").isGreaterThanOrEqualTo(180);
    }

    /**
     * A batch submit pairs each draft with the lock it took by hashing or sorting the job ids, in the plan kept for
     * the statement and in one drawn for a thousand drafts, never by comparing every draft with every lock: a burst
     * of a thousand drafts was a million comparisons (an {@code = ANY} of the holders, 13 ms of its 38).
     */
    @Test
    void aBatchSubmitPairsItsDraftsWithTheirLocksWithoutComparingEveryPair() {
        int drafts = 1_000;
        String types = "text[], text[], text[], text[], text[], boolean, text, bigint, text, boolean";
        String values = array(drafts, i -> "burst_" + i) + ", " + array(drafts, i -> "db") + ", "
                + array(drafts, i -> "burst_t_" + i) + ", " + array(drafts, i -> "expire_snapshots") + ", "
                + array(drafts, i -> "api") + ", false, 'drain_mode', 3600000000, '', false";
        for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
            String plan = plan(PostgresJobAdmissions.QUEUE, mode, types, values);
            String inserting = plan.substring(plan.indexOf("Insert on jobs"), plan.indexOf("CTE queued"));

            assertThat(inserting).as(mode).containsPattern("(Hash|Merge) Join").doesNotContain("ANY")
                    .doesNotContain("Join Filter");
        }
    }

    private static String array(int size, java.util.function.IntFunction<String> element) {
        return java.util.stream.IntStream.range(0, size).mapToObj(element)
                .collect(java.util.stream.Collectors.joining(",", "'{", "}'"));
    }

    /**
     * Renewing a table lock (a claim's, here; a heartbeat's is the same update) rewrites the lock row in place:
     * {@code table_locks} leaves half of each page free, so even on pages filled by a burst of submits every renewal
     * is a HOT update and adds no entry to {@code table_locks_pkey}. With full pages each one moved its row.
     */
    @Test
    void renewingATableLockIsAHotUpdateOfItsRow() {
        long[] updates = claimAfterABurst("hot_lock", true, 50, "table_locks");

        assertThat(updates[0]).as("jobs started").isEqualTo(50);
        assertThat(updates[1]).as("locks renewed").isEqualTo(50);
        assertThat(updates[2]).as("of which HOT").isEqualTo(50);
    }

    /**
     * On a fresh schema, what a burst of 2,000 submits leaves (each job pending and queued, and with {@code locked}
     * holding its table's lock), then one claim-and-start of {@code max} jobs, rolled back: the jobs it started, and
     * the rows of {@code table} it updated and how many of those were HOT, as PostgreSQL counted them.
     */
    private static long[] claimAfterABurst(String prefix, boolean locked, int max, String table) {
        DataSource dataSource = TestDatabases.postgres();
        String fresh = TestDatabases.newSchema(dataSource, prefix);
        Sql freshSql = new Sql(fresh, Dialect.POSTGRESQL, null);
        Jdbi freshJdbi = Jdbi.create(dataSource);
        freshJdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        freshJdbi.useHandle(h -> {
            h.execute("INSERT INTO " + fresh + ".jobs (job_id, database, table_name, actions, dry_run, status,"
                    + " submitted_at, attempts, triggered_by)"
                    + " SELECT md5(i::text), 'db', 't_' || i, 'rewrite_data_files,expire_snapshots', false, 'pending',"
                    + " now(), 0, 'orchestrator' FROM generate_series(1, 2000) AS i");
            h.execute("INSERT INTO " + fresh + ".job_queue (job_id, visible_at, attempts, fence)"
                    + " SELECT md5(i::text), now(), 0, 0 FROM generate_series(1, 2000) AS i");
            if (locked) {
                h.execute("INSERT INTO " + fresh + ".table_locks (table_key, holder, acquired_at, expires_at, fence)"
                        + " SELECT 'db.t_' || i, md5(i::text), now(), now() + interval '1 hour', i"
                        + " FROM generate_series(1, 2000) AS i");
            }
        });
        return freshJdbi.inTransaction(h -> {
            long started = claimRowsOfKind(h, freshSql, max, "job");
            long[] counted = h.createQuery("SELECT pg_stat_get_xact_tuples_updated(CAST(:t AS regclass)),"
                            + " pg_stat_get_xact_tuples_hot_updated(CAST(:t AS regclass))")
                    .bind("t", fresh + "." + table)
                    .map((rs, ctx) -> new long[] {started, rs.getLong(1), rs.getLong(2)}).one();
            h.rollback();
            return counted;
        });
    }

    /**
     * Runs one claim-and-start of {@code max} jobs for worker {@code w} on {@code h} and counts the rows of
     * {@code kind} it returned ({@code claim}, {@code job} for a started job, or {@code lock}).
     */
    private static long claimRowsOfKind(Handle h, Sql sql, int max, String kind) {
        return h.createQuery(sql.render(PostgresJobStarts.CLAIM_AND_START)).bind("worker", "w").bind("max", max)
                .bind("delay_micros", 3_600_000_000L).map((rs, ctx) -> rs.getString("row_kind")).stream()
                .filter(kind::equals).count();
    }

    /**
     * The retention prune reads the jobs submitted before the cutoff through the submission index (a job finished
     * before the cutoff was submitted before it), not the whole history: no index covers {@code completed_at}.
     */
    @Test
    void theRetentionPruneReadsOnlyJobsSubmittedBeforeTheCutoff() {
        long ninetyDays = 90L * 24 * 3600 * 1_000_000;
        String plan = plan(JdbcJobStore.PRUNE_TERMINAL, "force_custom_plan", "bigint, bigint",
                -ninetyDays + ", " + -ninetyDays);

        assertThat(plan).contains("jobs_submitted_idx").doesNotContain("Seq Scan on jobs");
    }

    /**
     * The plan of {@code template}, rendered for plain JDBC, as a prepared statement under {@code planCacheMode}:
     * its parameters become {@code $1…} in order.
     */
    private static String plan(String template, String planCacheMode, String types, String values) {
        String text = PlainStatement.of(sql, template).text();
        StringBuilder positional = new StringBuilder();
        int position = 0;
        for (char c : text.toCharArray()) {
            positional.append(c == '?' ? "$" + ++position : String.valueOf(c));
        }
        return jdbi.withHandle(h -> {
            h.execute("SET plan_cache_mode = " + planCacheMode);
            h.execute("PREPARE probe (" + types + ") AS " + positional);
            try {
                return String.join("\n", h.createQuery("EXPLAIN EXECUTE probe (" + values + ")").mapTo(String.class)
                        .list());
            } finally {
                h.execute("DEALLOCATE probe");
                h.execute("RESET plan_cache_mode");
            }
        });
    }

    /**
     * The plan of {@code template} as a prepared statement forced generic: its parameters, named ({@code :worker},
     * {@code :max}, {@code :delay_micros}) or positional ({@code ?}), become {@code $1…} in order.
     */
    private static String genericPlan(String template, String types, String values) {
        String named = sql.render(template).replace(":worker", "$1").replace(":max", "$2")
                .replace(":delay_micros", "$3");
        StringBuilder rendered = new StringBuilder();
        int position = 0;
        for (char c : named.toCharArray()) {
            rendered.append(c == '?' ? "$" + ++position : String.valueOf(c));
        }
        return jdbi.withHandle(h -> {
            h.execute("SET plan_cache_mode = force_generic_plan");
            h.execute("PREPARE probe (" + types + ") AS " + rendered);
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
