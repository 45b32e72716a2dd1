package io.snowpack.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A few seconds: the scale run works end to end on embedded PostgreSQL at a small size, in both modes. */
class HealthSyncScaleRunSmokeTest {

    @Test
    void bothModesSyncEveryTableAndTheOrchestratorAssessesThemAll() throws Exception {
        for (boolean before : new boolean[] {false, true}) {
            HealthSyncScaleRun.Settings small = new HealthSyncScaleRun.Settings(300, 3, 20, 15, Duration.ZERO, 4, 3,
                    before, 1);

            Map<String, Object> figures = HealthSyncScaleRun.run(small, BenchDatabases.postgres());
            System.out.println(figures);

            assertThat(figures).containsEntry("pass1_tables_synced", 301).containsEntry("pass2_tables_synced", 301)
                    .containsEntry("cache_table_count", 301L).containsEntry("orchestrator_tables_assessed", 301)
                    .containsEntry("wide_table_parallel_equals_sequential", true)
                    .containsEntry("wide_table_data_files_measured", 300L);
            assertThat((int) figures.get("orchestrator_jobs_submitted")).as("one synthetic table in 20, and the wide one")
                    .isEqualTo(15 + 1);
        }
    }
}
