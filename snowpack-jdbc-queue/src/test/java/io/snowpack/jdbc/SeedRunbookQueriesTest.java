package io.snowpack.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.JobTransition;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.testkit.SettableClock;
import io.snowpack.testkit.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operators paste the runbooks' SQL during incidents: every statement printed in the seeds runs unchanged
 * against a migrated PostgreSQL schema and answers what the runbook says it answers.
 */
class SeedRunbookQueriesTest {
    private static final TableId OFFERS = TableId.parse("offer_service.offers");
    private static final TableId ORDERS = TableId.parse("offer_service.orders");

    private static DataSource dataSource;
    private static String schema;

    @BeforeAll
    static void migrate() {
        dataSource = TestDatabases.postgres();
        schema = TestDatabases.newSchema(dataSource, "runbook");
    }

    @Test
    void everyRunbookStatementRunsUnchangedAndAnswersTheRunbooksQuestion() throws Exception {
        // A stuck world, 40 minutes old: one job claimed by a worker that stopped heartbeating, one job queued
        // and never claimed, and a scheduler leader.
        SettableClock past = new SettableClock(Instant.now().minus(Duration.ofMinutes(40)));
        SnowpackStore store = JdbcStore.builder(dataSource).schema(schema).clock(past).build();
        store.tables().upsert(TestData.health(OFFERS, past.now(), true));
        store.tables().upsert(TestData.health(ORDERS, past.now(), true));
        MaintenanceService service = MaintenanceService.builder().store(store).build();
        Job stalled = service.submit(OFFERS, List.of(MaintenanceAction.REWRITE_DATA_FILES), false);
        Claim claim = store.queue().claim("worker-crashed", 1).get(0);
        store.jobs().transition(stalled.jobId(), JobStatus.PENDING, JobTransition.running(claim.attempts()));
        Job waiting = service.submit(ORDERS, List.of(MaintenanceAction.EXPIRE_SNAPSHOTS), false);
        store.leaders().tryAcquire("scheduler", "api-0", Duration.ofHours(2)).orElseThrow();

        List<String> statements = statements();
        assertThat(statements).hasSize(9);
        List<List<Map<String, Object>>> answers = new ArrayList<>();
        int resetCount;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
            for (String sql : statements.subList(0, 8)) {
                answers.add(rows(statement, sql));
            }
            resetCount = statement.executeUpdate(statements.get(8));
            statement.execute("RESET search_path");
        }

        assertThat(answers.get(0)).singleElement().satisfies(row -> assertThat(row.get("count")).isEqualTo(1L));
        assertThat(answers.get(1)).extracting(row -> row.get("job_id")).containsExactly(waiting.jobId().value());
        assertThat(answers.get(2)).extracting(row -> row.get("job_id")).containsExactly(stalled.jobId().value());
        assertThat(answers.get(3)).singleElement().satisfies(row -> {
            assertThat(row.get("table_key")).isEqualTo("offer_service.offers");
            assertThat(row.get("holder")).isEqualTo(stalled.jobId().value());
        });
        assertThat(answers.get(4)).singleElement().satisfies(row -> assertThat(row.get("holder_id")).isEqualTo("api-0"));
        assertThat(answers.get(5)).singleElement().satisfies(row -> assertThat(row.get("count")).isEqualTo(0L));
        assertThat(answers.get(6)).isEmpty();
        assertThat(answers.get(7)).extracting(row -> row.get("task_id") + "=" + row.get("state"))
                .containsExactlyInAnyOrder(stalled.jobId().value() + "=Dispatched", waiting.jobId().value() + "=Ready");

        // The reset hands the stalled job back to the queue and revokes the crashed worker's claim.
        assertThat(resetCount).isEqualTo(2);
        SnowpackStore live = JdbcStore.builder(dataSource).schema(schema).build();
        assertThat(live.queue().heartbeat(claim)).isFalse();
        Job reset = live.jobs().find(stalled.jobId()).orElseThrow();
        assertThat(reset.status()).isEqualTo(JobStatus.PENDING);
        assertThat(reset.error()).isEqualTo("manual_reset");
        assertThat(live.queue().entry(stalled.jobId()).orElseThrow().isClaimed()).isFalse();
        assertThat(live.queue().readyDepth()).isEqualTo(2);
    }

    private static List<Map<String, Object>> rows(Statement statement, String sql) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The statements of the checked-in copy, comments dropped, split at semicolons that end a line. */
    private static List<String> statements() throws IOException {
        String text;
        try (InputStream in = SeedRunbookQueriesTest.class.getResourceAsStream("/seed-runbook-queries.sql")) {
            text = new String(Objects.requireNonNull(in, "seed-runbook-queries.sql").readAllBytes(),
                    StandardCharsets.UTF_8);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        return statements;
    }
}
