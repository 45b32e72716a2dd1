package io.snowpack.jdbc;

import java.time.Instant;

import com.fasterxml.jackson.core.type.TypeReference;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.JobDraft;
import io.snowpack.core.spi.JobStore;
import io.snowpack.core.spi.JobTransition;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@code jobs} and {@code job_actions} tables. Status changes are compare-and-set on the status column. */
final class JdbcJobStore implements JobStore {
    private static final String COLUMNS = "job_id, database, table_name, actions, dry_run, status, submitted_at,"
            + " started_at, completed_at, error, attempts, triggered_by, stop_confirmed_at";
    private static final String TERMINAL = "('completed', 'failed', 'cancelled')";
    /**
     * Deletes the jobs that finished before the retention cutoff. A job is submitted before it finishes, so the
     * submission index bounds the rows read (no index covers {@code completed_at}: each would cost every completion
     * an index entry).
     */
    static final String PRUNE_TERMINAL = "DELETE FROM ${s}.jobs WHERE submitted_at < ${nowMinusAge}"
            + " AND completed_at < ${nowMinusAge} AND status IN " + TERMINAL;
    /**
     * When a table was last maintained, on PostgreSQL: its jobs newest submission first ({@code jobs_table_idx}), up
     * to the first completed real one. One table's real jobs never overlap, so that job is also the last to have
     * completed. No index covers {@code completed_at} (migration V12): each would cost every completion an entry.
     * H2 reads the maximum from {@code jobs_table_status_idx}.
     */
    static final String LAST_COMPLETION_POSTGRES = """
            SELECT completed_at FROM ${s}.jobs
             WHERE database = :database AND table_name = :table_name
               AND status = 'completed' AND completed_at IS NOT NULL AND dry_run = FALSE
             ORDER BY submitted_at DESC
             FETCH FIRST 1 ROW ONLY""";
    private static final TypeReference<Map<String, Long>> METRICS = new TypeReference<>() { };

    private final Connections connections;
    private final Sql sql;

    JdbcJobStore(Connections connections, Sql sql) {
        this.connections = connections;
        this.sql = sql;
    }

    @Override
    public Job insert(JobDraft draft) {
        return connections.inTransaction(h -> {
            // PostgreSQL answers the stored row at once; a new job has no results, so nothing else is read.
            String insert = sql.dialect() == Dialect.POSTGRESQL ? """
                    INSERT INTO ${s}.jobs (job_id, database, table_name, actions, dry_run, status, submitted_at,
                                           attempts, triggered_by)
                    VALUES (:job_id, :database, :table_name, :actions, :dry_run, 'pending', ${now}, 0, :trigger)
                    ON CONFLICT (job_id) DO NOTHING""" + " RETURNING " + COLUMNS : """
                    INSERT INTO ${s}.jobs (job_id, database, table_name, actions, dry_run, status, submitted_at,
                                           attempts, triggered_by)
                    SELECT :job_id, :database, :table_name, :actions, :dry_run, 'pending', ${now}, 0, :trigger
                     WHERE NOT EXISTS (SELECT 1 FROM ${s}.jobs WHERE job_id = :job_id)""";
            Map<String, Object> values = Map.of("job_id", draft.jobId().value(),
                    "database", draft.table().database(),
                    "table_name", draft.table().table(),
                    "actions", draft.actions().stream().map(MaintenanceAction::wireName).collect(Collectors.joining(",")),
                    "dry_run", draft.dryRun(),
                    "trigger", draft.trigger().wireName());
            Optional<Job> stored;
            if (sql.dialect() == Dialect.POSTGRESQL) {
                stored = sql.query(h, insert).bindMap(values).map(JdbcJobStore::job).findOne();
            } else {
                stored = sql.update(h, insert).bindMap(values).execute() == 0 ? Optional.empty()
                        : sql.query(h, "SELECT " + COLUMNS + " FROM ${s}.jobs WHERE job_id = :job_id")
                                .bind("job_id", draft.jobId().value()).map(JdbcJobStore::job).findOne();
            }
            return stored.orElseThrow(() -> new IllegalStateException("Job " + draft.jobId() + " already exists"));
        });
    }

    @Override
    public Optional<Job> find(JobId jobId) {
        return connections.withHandle(h -> find(h, jobId.value()));
    }

    private Optional<Job> find(Handle h, String jobId) {
        return withResults(h, sql.query(h, "SELECT " + COLUMNS + " FROM ${s}.jobs WHERE job_id = :job_id")
                .bind("job_id", jobId)).stream().findFirst();
    }

    @Override
    public boolean transition(JobId jobId, JobStatus expected, JobTransition transition) {
        expected.checkTransitionTo(transition.target());
        JobStatus target = transition.target();
        StringBuilder set = new StringBuilder("status = :target");
        if (target == JobStatus.RUNNING) {
            set.append(", started_at = COALESCE(started_at, ${now})");
        }
        if (target.isTerminal()) {
            set.append(", completed_at = ${now}");
        }
        if (transition.error() != null) {
            set.append(", error = :error");
        }
        if (transition.attempts() >= 0) {
            set.append(", attempts = :attempts");
        }
        String template = "UPDATE ${s}.jobs SET " + set + " WHERE job_id = :job_id AND status = :expected";
        return connections.withHandle(h -> sql.update(h, template)
                .bind("target", target.wireName())
                .bind("expected", expected.wireName())
                .bind("job_id", jobId.value())
                .bind("error", transition.error())
                .bind("attempts", transition.attempts())
                .execute()) == 1;
    }

    @Override
    public boolean addResult(JobId jobId, ActionResult result) {
        return append(jobId, result, false);
    }

    @Override
    public boolean addLateResult(JobId jobId, ActionResult result) {
        return append(jobId, result, true);
    }

    private boolean append(JobId jobId, ActionResult result, boolean evenWhenTerminal) {
        String metrics = Json.write(result.metrics());
        return connections.inTransaction(h -> {
            // Lock the job row: results of one job are numbered in order, and (but late ones) never added once it
            // is terminal.
            Optional<String> status = sql.query(h, "SELECT status FROM ${s}.jobs WHERE job_id = :job_id FOR UPDATE")
                    .bind("job_id", jobId.value()).mapTo(String.class).findOne();
            if (status.isEmpty() || (!evenWhenTerminal && JobStatus.parse(status.get()).isTerminal())) {
                return false;
            }
            sql.update(h, """
                            INSERT INTO ${s}.job_actions (job_id, seq, action, success, message, error, elapsed_seconds,
                                                          metrics, recorded_at)
                            SELECT :job_id, COALESCE(MAX(seq), 0) + 1, :action, :success, :message, :error, :elapsed,
                                   :metrics, ${now}
                              FROM ${s}.job_actions WHERE job_id = :job_id""")
                    .bind("job_id", jobId.value())
                    .bind("action", result.action().wireName())
                    .bind("success", result.success())
                    .bind("message", result.message())
                    .bind("error", result.error())
                    .bind("elapsed", result.elapsedSeconds())
                    .bind("metrics", metrics)
                    .execute();
            return true;
        });
    }

    @Override
    public boolean confirmStop(JobId jobId) {
        return connections.withHandle(h -> sql.update(h, "UPDATE ${s}.jobs SET stop_confirmed_at = ${now}"
                        + " WHERE job_id = :job_id AND status = 'cancelled' AND stop_confirmed_at IS NULL")
                .bind("job_id", jobId.value()).execute()) == 1;
    }

    @Override
    public List<Job> list(JobQuery query) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        // An unfinished status also says completed_at IS NULL, so the few unfinished jobs are read through their
        // partial index instead of the whole history in submission order.
        query.status().ifPresent(s -> where.append(s.isTerminal() ? " AND status = :status"
                : " AND status = :status AND completed_at IS NULL"));
        query.table().ifPresent(t -> where.append(" AND database = :database AND table_name = :table_name"));
        String template = "SELECT " + COLUMNS + " FROM ${s}.jobs" + where
                + " ORDER BY submitted_at DESC, job_id LIMIT :limit";
        return connections.withHandle(h -> {
            Query select = sql.query(h, template).bind("limit", query.limit());
            query.status().ifPresent(s -> select.bind("status", s.wireName()));
            query.table().ifPresent(t -> select.bind("database", t.database()).bind("table_name", t.table()));
            return withResults(h, select);
        });
    }

    @Override
    public Optional<Instant> lastCompletion(TableId table) {
        String query = sql.dialect() == Dialect.POSTGRESQL ? LAST_COMPLETION_POSTGRES : """
                SELECT MAX(completed_at) AS completed_at FROM ${s}.jobs
                 WHERE database = :database AND table_name = :table_name
                   AND status = 'completed' AND completed_at IS NOT NULL AND dry_run = FALSE""";
        return connections.withHandle(h -> sql.query(h, query)
                .bind("database", table.database()).bind("table_name", table.table())
                .map((rs, ctx) -> Sql.instant(rs, "completed_at")).findOne());
    }

    @Override
    public Optional<JobId> unfinishedJob(TableId table) {
        return connections.withHandle(h -> sql.query(h, """
                        SELECT job_id FROM ${s}.jobs
                         WHERE database = :database AND table_name = :table_name
                           AND status IN ('pending', 'running') AND completed_at IS NULL AND dry_run = FALSE
                         FETCH FIRST 1 ROW ONLY""")
                .bind("database", table.database()).bind("table_name", table.table())
                .mapTo(String.class).findOne().map(JobId::new));
    }

    @Override
    public int pruneTerminal(Duration retention) {
        return connections.withHandle(h -> sql.update(h, PRUNE_TERMINAL)
                .bind("minus_age_micros", -Sql.micros(retention))
                .execute());
    }

    /** Runs a job query and attaches every job's results, read in one more query. */
    private List<Job> withResults(Handle h, Query jobsQuery) {
        List<Job> jobs = jobsQuery.map(JdbcJobStore::job).list();
        if (jobs.isEmpty()) {
            return jobs;
        }
        Map<String, List<ActionResult>> results = new HashMap<>();
        h.createQuery(sql.render("SELECT job_id, action, success, message, error, elapsed_seconds, metrics"
                        + " FROM ${s}.job_actions WHERE job_id IN (<ids>) ORDER BY job_id, seq"))
                .bindList("ids", jobs.stream().map(job -> job.jobId().value()).toList())
                .map((rs, ctx) -> Map.entry(rs.getString("job_id"), result(rs)))
                .forEach(e -> results.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return jobs.stream().map(job -> withResults(job, results.getOrDefault(job.jobId().value(), List.of())))
                .toList();
    }

    private static Job withResults(Job job, List<ActionResult> results) {
        return results.isEmpty() ? job : job.withResults(results);
    }

    static Job job(ResultSet rs, StatementContext ctx) throws SQLException {
        List<MaintenanceAction> actions = Arrays.stream(rs.getString("actions").split(","))
                .map(MaintenanceAction::parse).toList();
        return new Job(new JobId(rs.getString("job_id")),
                new TableId(rs.getString("database"), rs.getString("table_name")),
                actions,
                rs.getBoolean("dry_run"),
                JobStatus.parse(rs.getString("status")),
                Sql.instant(rs, "submitted_at"),
                Sql.instant(rs, "started_at"),
                Sql.instant(rs, "completed_at"),
                List.of(),
                rs.getString("error"),
                rs.getInt("attempts"),
                JobTrigger.parse(rs.getString("triggered_by")),
                Sql.instant(rs, "stop_confirmed_at"));
    }

    private static ActionResult result(ResultSet rs) throws SQLException {
        return new ActionResult(MaintenanceAction.parse(rs.getString("action")), rs.getBoolean("success"),
                rs.getString("message"), rs.getString("error"), rs.getDouble("elapsed_seconds"),
                Json.read(rs.getString("metrics"), METRICS));
    }
}
