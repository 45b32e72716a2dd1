package io.snowpack.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.leader.LeaderElection;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.sweeper.Sweeper;
import io.snowpack.core.testing.ScriptedExecutor;
import io.snowpack.core.testing.TestData;
import io.snowpack.core.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** The README's "embedding the runtime" sample, compiled and run as part of the build. */
class EmbeddingExampleTest {

    @Test
    void aHostRunsTheApiServiceAWorkerAndTheLeaderOnlySweeper() throws Exception {
        SnowpackStore store = InMemoryStore.create();
        MaintenanceExecutor executor = new ScriptedExecutor();
        store.tables().upsert(TestData.health(TableId.parse("demo.events"), store.now(), true));

        // --- README sample starts here ---
        SnowpackConfig config = SnowpackConfig.fromEnvironment();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

        LeaderElection leader = LeaderElection.builder().elector(store.leaders()).build();
        leader.start(scheduler);                                    // one process leads the 'scheduler' key
        Sweeper sweeper = Sweeper.builder().store(store).config(config).leader(leader).build();
        sweeper.start(scheduler);                                   // reclaim_stale every sweeper.interval

        Worker worker = Worker.builder().store(store).executor(executor).config(config).slots(2).build();
        worker.start();                                             // or: System.exit(worker.runOnce().exitCode())

        MaintenanceService service = MaintenanceService.builder().store(store).config(config).build();
        Job job = service.submit(TableId.parse("demo.events"), List.of(MaintenanceAction.EXPIRE_SNAPSHOTS), false);
        // --- README sample ends here ---

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (service.get(job.jobId()).status() != JobStatus.COMPLETED && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(service.get(job.jobId()).status()).isEqualTo(JobStatus.COMPLETED);

        worker.close();                                             // graceful: running jobs go back to the queue
        sweeper.close();
        leader.close();
        scheduler.shutdown();
        assertThat(store.leaders().current(LeaderElection.SCHEDULER)).isEmpty();
    }
}
