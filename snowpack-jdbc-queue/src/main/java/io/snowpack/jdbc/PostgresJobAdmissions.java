package io.snowpack.jdbc;

import io.snowpack.core.DrainModeException;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.spi.Admission;
import io.snowpack.core.spi.JobDraft;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Queues a list of drafts on PostgreSQL in one statement, so at most one commit however long the list: the busy
 * check, the table locks, the job rows and the queue rows are data-modifying CTEs of a single {@code WITH} over the
 * drafts (passed as arrays, or as plain values when there is one). A draft goes in only when its table has no
 * unfinished job (checked first: a job that waited longer than its lock's TTL still holds the table) and its lock
 * could be taken (free or expired); the others are answered with the holder they met, read from the statement's
 * snapshot. Two submitters of one table meet on the lock row: the second waits for the first's transaction and then
 * finds the lock held. Asked to ({@code queueJobsUnlessDrained}), the statement also reads drain mode and, when it is
 * on, writes nothing, so a submit's drain check costs no round trip of its own. The job rows go in for the drafts
 * joined to the locks they took, which PostgreSQL pairs by hashing or sorting: the {@code = ANY} of the holders it
 * replaced compared every draft with every lock, a million comparisons in a burst of a thousand.
 *
 * <p>The busy check probes {@code jobs_unfinished_idx} once per draft, for the draft's table only ({@code OFFSET 0}
 * keeps the {@code NOT EXISTS} a per-draft subplan). As an anti-join, PostgreSQL read the whole partial index once
 * per statement instead, and that index keeps an entry for every job finished since {@code jobs} was last vacuumed
 * (a completion writes a new row version; the old one stays indexed until vacuum, which on a long job history comes
 * rarely): a batch submit slowed down as the history grew, where a per-table probe reads only that table's entries.
 *
 * <p>{@code ON CONFLICT DO UPDATE} may not touch one row twice in a statement, so only the first draft of each table
 * is sent; the later ones are busy with whatever the first became or met, as they would be one after another.
 */
final class PostgresJobAdmissions {
    /**
     * The drafts as arrays, one element each: any number of drafts. After a few runs PostgreSQL keeps a generic plan
     * that prices the arrays at ten rows; its joins between the CTEs pair rows by hash, which holds for a thousand.
     */
    private static final String DRAFTS = """
                SELECT d.job_id, d.database, d.table_name, d.actions, d.triggered_by, d.ord,
                       d.database || '.' || d.table_name AS table_key
                  FROM unnest(CAST(:job_ids AS text[]), CAST(:databases AS text[]), CAST(:table_names AS text[]),
                              CAST(:actions AS text[]), CAST(:triggers AS text[]))
                       WITH ORDINALITY AS d(job_id, database, table_name, actions, triggered_by, ord)
            """;

    /**
     * One draft as plain values: PostgreSQL then keeps one generic plan for the statement, where the arrays'
     * unknown length has it plan every run again (which cost a single submit more than the round trips it saved).
     */
    private static final String ONE_DRAFT = """
                SELECT CAST(:job_id AS text) AS job_id, CAST(:database AS text) AS database,
                       CAST(:table_name AS text) AS table_name, CAST(:actions AS text) AS actions,
                       CAST(:trigger AS text) AS triggered_by, CAST(1 AS bigint) AS ord,
                       CAST(:table_key AS text) AS table_key
            """;

    static final String QUEUE = queue(DRAFTS);
    static final String QUEUE_ONE = queue(ONE_DRAFT);

    private static String queue(String drafts) {
        return """
            WITH input AS (
            %s), drained AS (
                SELECT 1 FROM ${s}.snowpack_settings
                 WHERE :check_drain AND setting_name = :drain_setting AND lower(setting_value) = 'true'
            ), free AS (
                SELECT i.* FROM input i
                 WHERE NOT EXISTS (SELECT 1 FROM drained)
                   AND NOT EXISTS (SELECT 1 FROM ${s}.jobs j
                                    WHERE j.database = i.database AND j.table_name = i.table_name
                                      AND j.status IN ('pending', 'running') AND j.completed_at IS NULL
                                      AND j.dry_run = FALSE
                                   OFFSET 0)
            ), locked AS (
                INSERT INTO ${s}.table_locks AS l (table_key, holder, acquired_at, expires_at, fence)
                SELECT table_key, job_id, ${now}, ${nowPlusDelay}, ${nextLockFence} FROM free
                ON CONFLICT (table_key) DO UPDATE
                   SET holder = EXCLUDED.holder, acquired_at = EXCLUDED.acquired_at,
                       expires_at = EXCLUDED.expires_at, fence = EXCLUDED.fence
                 WHERE l.expires_at <= ${now}
                RETURNING l.holder
            ), inserted AS (
                INSERT INTO ${s}.jobs (job_id, database, table_name, actions, dry_run, status, submitted_at,
                                       attempts, triggered_by)
                SELECT f.job_id, f.database, f.table_name, f.actions, FALSE, 'pending', ${now}, 0, f.triggered_by
                  FROM free f JOIN locked l ON l.holder = f.job_id
                RETURNING job_id, database, table_name, actions, dry_run, status, submitted_at, started_at,
                          completed_at, error, attempts, triggered_by, stop_confirmed_at
            ), queued AS (
                INSERT INTO ${s}.job_queue (job_id, visible_at, attempts, fence)
                SELECT job_id, ${now}, 0, 0 FROM inserted
                RETURNING job_id
            ), notified AS (
                SELECT pg_notify(:channel, '') AS sent FROM (SELECT 1 FROM queued LIMIT 1) q WHERE :notify
            )
            SELECT n.*,
                   CASE WHEN n.job_id IS NULL THEN COALESCE(
                       (SELECT j.job_id FROM ${s}.jobs j
                         WHERE j.database = i.database AND j.table_name = i.table_name
                           AND j.status IN ('pending', 'running') AND j.completed_at IS NULL
                           AND j.dry_run = FALSE
                         FETCH FIRST 1 ROW ONLY),
                       (SELECT l.holder FROM ${s}.table_locks l WHERE l.table_key = i.table_key)) END AS busy_with,
                   (SELECT count(*) FROM notified) AS notices,
                   (SELECT count(*) FROM drained) AS drained
              FROM input i
              LEFT JOIN inserted n ON n.job_id = i.job_id
             ORDER BY i.ord""".formatted(drafts);
    }

    private final Connections connections;
    private final Sql sql;
    /** {@code null} when the store does not announce ready jobs. */
    private final PostgresJobsReadyChannel readyChannel;
    private final PlainStatement statement;
    private final PlainStatement single;

    PostgresJobAdmissions(Connections connections, Sql sql, PostgresJobsReadyChannel readyChannel) {
        this.connections = connections;
        this.sql = sql;
        this.readyChannel = readyChannel;
        this.statement = PlainStatement.of(sql, QUEUE);
        this.single = PlainStatement.of(sql, QUEUE_ONE);
    }

    /**
     * See {@link io.snowpack.core.spi.SnowpackStore#queueJobs}, and with {@code unlessDrained}
     * {@link io.snowpack.core.spi.SnowpackStore#queueJobsUnlessDrained}; the arguments are checked by the caller.
     */
    List<Admission> queue(List<JobDraft> drafts, Duration lockTtl, boolean unlessDrained) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> firstOfTable = new HashMap<>();
        List<JobDraft> sent = new ArrayList<>(drafts.size());
        for (JobDraft draft : drafts) {
            if (firstOfTable.putIfAbsent(draft.table().key(), sent.size()) == null) {
                sent.add(draft);
            }
        }
        List<Admission> answered = run(sent, lockTtl, unlessDrained);
        List<Admission> admissions = new ArrayList<>(drafts.size());
        for (JobDraft draft : drafts) {
            Admission first = answered.get(firstOfTable.get(draft.table().key()));
            if (first.draft() == draft) {
                admissions.add(first);
            } else {
                admissions.add(Admission.busy(draft, first.isQueued() ? first.job().jobId().value() : first.holder()));
            }
        }
        return admissions;
    }

    private List<Admission> run(List<JobDraft> drafts, Duration lockTtl, boolean unlessDrained) {
        boolean notify = readyChannel != null && connections.firstInTransaction(readyChannel);
        String channel = readyChannel == null ? "" : readyChannel.channel();
        return connections.withConnection(c -> {
            PlainStatement chosen = drafts.size() == 1 ? single : statement;
            try (PreparedStatement queue = c.prepareStatement(chosen.text())) {
                if (drafts.size() == 1) {
                    JobDraft draft = drafts.get(0);
                    single.bind(queue, sql, "job_id", draft.jobId().value(), "database", draft.table().database(),
                            "table_name", draft.table().table(), "actions", actions(draft),
                            "trigger", draft.trigger().wireName(), "table_key", draft.table().key(),
                            "delay_micros", Sql.micros(lockTtl), "channel", channel, "notify", notify,
                            "check_drain", unlessDrained, "drain_setting", JdbcSettingsStore.DRAIN_MODE);
                } else {
                    statement.bind(queue, sql,
                            "job_ids", textArray(c, drafts, d -> d.jobId().value()),
                            "databases", textArray(c, drafts, d -> d.table().database()),
                            "table_names", textArray(c, drafts, d -> d.table().table()),
                            "actions", textArray(c, drafts, PostgresJobAdmissions::actions),
                            "triggers", textArray(c, drafts, d -> d.trigger().wireName()),
                            "delay_micros", Sql.micros(lockTtl), "channel", channel, "notify", notify,
                            "check_drain", unlessDrained, "drain_setting", JdbcSettingsStore.DRAIN_MODE);
                }
                List<Admission> admissions = new ArrayList<>(drafts.size());
                try (ResultSet rs = queue.executeQuery()) {
                    for (JobDraft draft : drafts) {
                        if (!rs.next()) {
                            throw new IllegalStateException("Queueing " + drafts.size() + " drafts answered "
                                    + admissions.size() + " rows");
                        }
                        if (rs.getLong("drained") > 0) { // nothing was written
                            throw new DrainModeException();
                        }
                        admissions.add(admission(draft, rs));
                    }
                }
                return admissions;
            }
        });
    }

    private static String actions(JobDraft draft) {
        return draft.actions().stream().map(MaintenanceAction::wireName).collect(Collectors.joining(","));
    }

    private static Admission admission(JobDraft draft, ResultSet rs) throws SQLException {
        if (rs.getString("job_id") == null) {
            return Admission.busy(draft, rs.getString("busy_with"));
        }
        Job job = JdbcJobStore.job(rs, null);
        return Admission.queued(draft, job);
    }

    private static Array textArray(Connection c, List<JobDraft> drafts,
            Function<JobDraft, String> value) throws SQLException {
        String[] values = new String[drafts.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value.apply(drafts.get(i));
        }
        return c.createArrayOf("text", values);
    }
}
