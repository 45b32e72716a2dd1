package io.snowpack.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.BackendException;
import io.snowpack.testkit.Concurrently;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class SnowpackSchemaTest {

    @Test
    void fourProcessesMigratingAtOnceApplyEachMigrationExactlyOnce() throws Exception {
        DataSource separateConnections = TestDatabases.postgresUnpooled();
        String schema = "race_" + System.nanoTime();

        List<Boolean> done = Concurrently.run(4, i -> () -> {
            SnowpackSchema.migrate(separateConnections, schema);
            return true;
        });

        assertThat(done).containsOnly(true);
        assertThat(query(TestDatabases.postgres(), "SELECT version || ':' || script FROM " + schema
                + ".schema_version ORDER BY version")).containsExactly("1:V1__init.sql", "2:V2__stop_confirmed_at.sql",
                "3:V3__leader_fence.sql", "4:V4__previous_metadata_files.sql", "5:V5__deletion_vectors.sql",
                "6:V6__table_listing.sql", "8:V8__job_lookups.sql", "9:V9__start_jobs_in_place.sql",
                "10:V10__lighter_job_writes.sql", "11:V11__settle_function.sql",
                "12:V12__completion_index_entries.sql", "13:V13__identifiers_compared_bytewise.sql");
        assertThat(query(TestDatabases.postgres(), "SELECT count(*) FROM " + schema + ".job_queue"))
                .containsExactly("0");
    }

    @Test
    void migratingAgainChangesNothing() throws Exception {
        DataSource postgres = TestDatabases.postgres();
        String schema = TestDatabases.newSchema(postgres, "again");
        SnowpackSchema.migrate(postgres, schema);
        assertThat(query(postgres, "SELECT count(*) FROM " + schema + ".schema_version")).containsExactly("12");

        DataSource h2 = TestDatabases.h2();
        SnowpackSchema.migrate(h2, "again_h2");
        SnowpackSchema.migrate(h2, "again_h2");
        assertThat(query(h2, "SELECT count(*) FROM again_h2.schema_version")).as("V11 to V13 are for PostgreSQL only")
                .containsExactly("9");
    }

    @Test
    void theQueueTableIsTunedToStayLeanUnderChurn() throws Exception {
        DataSource postgres = TestDatabases.postgres();
        String schema = TestDatabases.newSchema(postgres, "vacuum");

        List<String> options = query(postgres, "SELECT unnest(c.reloptions) FROM pg_class c JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname = '" + schema + "' AND c.relname = 'job_queue'");

        assertThat(options).contains("autovacuum_vacuum_scale_factor=0.0", "autovacuum_vacuum_threshold=1000",
                "fillfactor=70");
        assertThat(query(postgres, "SELECT indexdef FROM pg_indexes WHERE schemaname = '" + schema
                + "' AND indexname = 'job_queue_claimable_idx'"))
                .singleElement().asString().contains("WHERE (claimed_at IS NULL)");
    }

    /**
     * Job ids and lock keys compare byte by byte (V13), and V13 run over tables that hold jobs, results, queue rows
     * and locks keeps every row, the foreign key and the runbook view.
     */
    @Test
    void identifiersCompareBytewiseAndV13KeepsEveryRow() throws Exception {
        DataSource postgres = TestDatabases.postgres();
        String schema = TestDatabases.newSchema(postgres, "bytewise");
        try (Connection c = postgres.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + schema + ".jobs (job_id, database, table_name, actions, dry_run, status,"
                    + " submitted_at, attempts, triggered_by) VALUES ('a1', 'db', 't', 'expire_snapshots', false,"
                    + " 'running', now(), 1, 'manual')");
            s.execute("INSERT INTO " + schema + ".job_actions (job_id, seq, action, success, message,"
                    + " elapsed_seconds, metrics, recorded_at) VALUES ('a1', 1, 'expire_snapshots', true, 'ok', 1,"
                    + " '{}', now())");
            s.execute("INSERT INTO " + schema + ".job_queue (job_id, visible_at, claimed_at, claimed_by, attempts,"
                    + " fence) VALUES ('a1', now(), now(), 'w', 1, 1)");
            s.execute("INSERT INTO " + schema + ".table_locks (table_key, holder, acquired_at, expires_at, fence)"
                    + " VALUES ('db.t', 'a1', now(), now() + interval '1 hour', 1)");
            String v13;
            try (InputStream in = SnowpackSchema.class.getResourceAsStream(
                    "migration/postgresql/V13__identifiers_compared_bytewise.sql")) {
                v13 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            s.execute(v13.replace("${schema}", schema));
        }

        assertThat(query(postgres, "SELECT table_name || '.' || column_name || ' ' || collation_name"
                + " FROM information_schema.columns WHERE table_schema = '" + schema + "' AND collation_name = 'C'"
                + " ORDER BY 1")).as("the table cache's keys since V6; the view's task_id is jobs.job_id")
                .containsExactly("job_actions.job_id C", "job_queue.job_id C", "jobs.job_id C",
                        "table_cache.database C", "table_cache.table_name C", "table_locks.holder C",
                        "table_locks.table_key C", "task_executions.task_id C");
        assertThat(query(postgres, "SELECT task_id || ' ' || state FROM " + schema + ".task_executions"))
                .containsExactly("a1 Dispatched");
        assertThat(query(postgres, "SELECT count(*) FROM " + schema + ".job_actions a JOIN " + schema
                + ".jobs j USING (job_id) JOIN " + schema + ".table_locks l ON l.holder = j.job_id"))
                .containsExactly("1");
        try (Connection c = postgres.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE " + schema + ".task_executions SET state = 'Pending'"
                    + " WHERE task_id = 'a1'")).as("the view's reset trigger came back with it").isEqualTo(1);
            s.execute("DELETE FROM " + schema + ".jobs WHERE job_id = 'a1'");
        }
        assertThat(query(postgres, "SELECT count(*) FROM " + schema + ".job_actions"))
                .as("the results still go with their job").containsExactly("0");
    }

    @Test
    void anInvalidSchemaNameIsRefusedBeforeAnythingRuns() {
        for (String bad : new String[] {"Snowpack", "1abc", "a;drop", "", "x".repeat(64)}) {
            assertThatThrownBy(() -> SnowpackSchema.migrate(TestDatabases.h2(), bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void aChangedMigrationIsRefused() throws Exception {
        DataSource h2 = TestDatabases.h2();
        SnowpackSchema.migrate(h2, "tampered");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("UPDATE tampered.schema_version SET checksum = 42");
        }
        assertThatThrownBy(() -> SnowpackSchema.migrate(h2, "tampered"))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("V1__init.sql was changed");
    }

    static List<String> query(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new java.util.ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }
}
