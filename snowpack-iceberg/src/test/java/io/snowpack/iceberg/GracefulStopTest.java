package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.worker.JobOutcome;
import io.snowpack.core.worker.Worker;
import io.snowpack.testkit.TestData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful stop (SIGTERM, Ctrl-C, the end of a KEDA run-once Job) while the real Iceberg executor is in the
 * middle of a compaction hands the job back to the queue: it is pending again, not failed, and nothing was
 * committed. Before the checkpoint signals were public, the executor's catch-all turned the stop into a permanent
 * failure and the job was failed for good.
 */
class GracefulStopTest {
    @TempDir
    Path root;

    @Test
    void aWorkerStoppedMidCompactionHandsTheJobBackAndCommitsNothing() throws Exception {
        try (Warehouse warehouse = new Warehouse(root)) {
            warehouse.create("facts", RichRows.SCHEMA, PartitionSpec.builderFor(RichRows.SCHEMA)
                    .identity("category").build(), Map.of("snowpack.min_input_files", "2"));
            for (int i = 0; i < 3; i++) {
                RichRows.append(warehouse.load("facts"), RichRows.rows(warehouse.load("facts"), i * 30,
                        i * 30 + 30));
            }
            String metadata = metadataLocation(warehouse);
            CountDownLatch rewriting = new CountDownLatch(1);
            CountDownLatch stopRequested = new CountDownLatch(1);
            IcebergMaintenanceExecutor executor = IcebergMaintenanceExecutor.builder(warehouse.catalog)
                    .faultsForTests(new RewriteFaults() {
                        @Override
                        public void writeRow(Record row, StructLike partition, BiConsumer<Record, StructLike> out) {
                            rewriting.countDown();
                            await(stopRequested);
                            out.accept(row, partition);
                        }
                    }).build();
            SnowpackStore store = InMemoryStore.create();
            TableId facts = TableId.of("db", "facts");
            store.tables().upsert(TestData.health(facts, store.now(), true));
            MaintenanceService service = MaintenanceService.builder().store(store)
                    .config(SnowpackConfig.defaults()).build();
            Job job = service.submit(facts, List.of(MaintenanceAction.REWRITE_DATA_FILES), false);
            Worker worker = Worker.builder().store(store).executor(executor).config(SnowpackConfig.defaults())
                    .build();

            CompletableFuture<JobOutcome> run = CompletableFuture.supplyAsync(worker::runOnce);
            assertThat(rewriting.await(60, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(worker::close);
            stopRequested.countDown();

            assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo(JobOutcome.HANDED_BACK);
            closing.get(60, TimeUnit.SECONDS);
            Job after = service.get(job.jobId());
            assertThat(after.status()).isEqualTo(JobStatus.PENDING);
            assertThat(after.error()).isEqualTo("worker shut down");
            assertThat(metadataLocation(warehouse)).as("nothing committed").isEqualTo(metadata);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String metadataLocation(Warehouse warehouse) {
        return ((HasTableOperations) warehouse.load("facts")).operations().current().metadataFileLocation();
    }
}
