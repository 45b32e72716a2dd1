package io.snowpack.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.BackendException;
import io.snowpack.testkit.Concurrently;
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
                "12:V12__completion_index_entries.sql");
        assertThat(query(TestDatabases.postgres(), "SELECT count(*) FROM " + schema + ".job_queue"))
                .containsExactly("0");
    }

    @Test
    void migratingAgainChangesNothing() throws Exception {
        DataSource postgres = TestDatabases.postgres();
        String schema = TestDatabases.newSchema(postgres, "again");
        SnowpackSchema.migrate(postgres, schema);
        assertThat(query(postgres, "SELECT count(*) FROM " + schema + ".schema_version")).containsExactly("11");

        DataSource h2 = TestDatabases.h2();
        SnowpackSchema.migrate(h2, "again_h2");
        SnowpackSchema.migrate(h2, "again_h2");
        assertThat(query(h2, "SELECT count(*) FROM again_h2.schema_version")).as("V11 and V12 are for PostgreSQL only")
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
