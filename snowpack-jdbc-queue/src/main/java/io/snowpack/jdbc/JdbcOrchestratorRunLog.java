package io.snowpack.jdbc;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.snowpack.core.model.OrchestratorRun;
import io.snowpack.core.spi.OrchestratorRunLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code orchestrator_runs} table. The counts the seed runbooks query have their own columns; skips by reason,
 * failed submissions and an early stop's cause are kept as JSON in {@code details}.
 */
final class JdbcOrchestratorRunLog implements OrchestratorRunLog {
    private static final String COLUMNS = "run_id, leader, started_at, finished_at, tables_assessed, tables_skipped, "
            + "tables_healthy, jobs_submitted, details";
    private static final TypeReference<Details> DETAILS = new TypeReference<>() { };

    /** The JSON in {@code details}. */
    record Details(
            @JsonProperty("skipped_by_reason") Map<String, Integer> skippedByReason,
            @JsonProperty("tables_failed") int tablesFailed,
            @JsonProperty("error") String error) {
    }

    private final Connections connections;
    private final Sql sql;
    private final String insert;

    JdbcOrchestratorRunLog(Connections connections, Sql sql) {
        this.connections = connections;
        this.sql = sql;
        this.insert = sql.dialect().returning("""
                INSERT INTO ${s}.orchestrator_runs (leader, started_at, finished_at, tables_assessed, tables_skipped,
                                                    tables_healthy, jobs_submitted, details)
                VALUES (:leader, :started_at, :finished_at, :assessed, :skipped, :healthy, :submitted, :details)""",
                "run_id");
    }

    @Override
    public OrchestratorRun record(OrchestratorRun run) {
        String details = Json.write(new Details(new LinkedHashMap<>(run.skippedByReason()), run.tablesFailed(),
                run.error()));
        long id = connections.withHandle(h -> sql.query(h, insert)
                .bind("leader", run.leader())
                .bind("started_at", Sql.toOffset(run.startedAt()))
                .bind("finished_at", Sql.toOffset(run.finishedAt()))
                .bind("assessed", run.tablesAssessed())
                .bind("skipped", run.tablesSkipped())
                .bind("healthy", run.tablesHealthy())
                .bind("submitted", run.jobsSubmitted())
                .bind("details", details)
                .mapTo(Long.class).one());
        return run.withRunId(id);
    }

    @Override
    public List<OrchestratorRun> recent(int limit) {
        OrchestratorRunLog.checkLimit(limit);
        return connections.withHandle(h -> sql.query(h, "SELECT " + COLUMNS + " FROM ${s}.orchestrator_runs "
                        + "ORDER BY started_at DESC, run_id DESC LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> run(rs))
                .list());
    }

    @Override
    public int prune(Duration retention) {
        return connections.withHandle(h -> sql.update(h,
                        "DELETE FROM ${s}.orchestrator_runs WHERE started_at < ${nowMinusAge}")
                .bind("minus_age_micros", -Sql.micros(retention)).execute());
    }

    private static OrchestratorRun run(ResultSet rs) throws SQLException {
        String json = rs.getString("details");
        Details details = json == null ? new Details(Map.of(), 0, null) : Json.read(json, DETAILS);
        return new OrchestratorRun(rs.getLong("run_id"), rs.getString("leader"), Sql.instant(rs, "started_at"),
                Sql.instant(rs, "finished_at"), rs.getInt("tables_assessed"), rs.getInt("tables_skipped"),
                rs.getInt("tables_healthy"), rs.getInt("jobs_submitted"), details.tablesFailed(),
                details.skippedByReason(), details.error());
    }
}
