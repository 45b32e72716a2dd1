package io.snowpack.jdbc;

import static io.snowpack.core.model.MaintenanceAction.REWRITE_DATA_FILES;
import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.worker.Worker;
import io.snowpack.testkit.FaultyStore;
import io.snowpack.testkit.ScriptedExecutor;
import io.snowpack.testkit.TestData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deployments start the API (which migrates the schema) and the workers together, so a worker may claim before
 * the schema exists. Its claims fail ({@code relation "job_queue" does not exist}) until the API has migrated; then
 * it claims by itself, without a restart.
 */
class WorkerBeforeMigrationTest {
    private static final TableId TABLE = TableId.parse("late.schema");

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aWorkerStartedBeforeTheSchemaExistsClaimsOnceItIsMigrated(String database) throws Exception {
        DataSource dataSource = database.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres();
        String schema = TestDatabases.unusedSchemaName("late_" + database);
        SnowpackStore store = JdbcStore.builder(dataSource).schema(schema).build();
        FaultyStore observed = new FaultyStore(store);
        Worker worker = Worker.builder().store(observed).executor(new ScriptedExecutor()).workerId("early")
                .slots(2).pollInterval(Duration.ofMillis(5), Duration.ofMillis(50)).build();
        worker.start();
        try {
            observed.awaitFailures("claim", 2, Duration.ofSeconds(30));

            SnowpackSchema.migrate(dataSource, schema);
            store.tables().upsert(TestData.health(TABLE, store.now(), true));
            Job job = MaintenanceService.builder().store(store).build().submit(TABLE, List.of(REWRITE_DATA_FILES),
                    false);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (store.jobs().find(job.jobId()).orElseThrow().status() != JobStatus.COMPLETED
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(store.jobs().find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        } finally {
            worker.close();
            store.close();
        }
    }
}
