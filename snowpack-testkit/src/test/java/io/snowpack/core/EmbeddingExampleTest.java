package io.snowpack.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.health.HealthSync;
import io.snowpack.core.leader.LeaderElection;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.OrchestratorRun;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.orchestrator.Orchestrator;
import io.snowpack.core.policy.MaintenancePlan;
import io.snowpack.core.policy.SkipReason;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import io.snowpack.core.sweeper.Sweeper;
import io.snowpack.core.worker.Worker;
import io.snowpack.testkit.FakeTableSource;
import io.snowpack.testkit.ScriptedExecutor;
import io.snowpack.testkit.TestData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** The README's "embedding the runtime" sample, compiled and run as part of the build. */
class EmbeddingExampleTest {

    @Test
    void aHostRunsTheServiceAWorkerHealthSyncAndTheLeaderOnlySweeperAndOrchestrator() throws Exception {
        SnowpackStore store = InMemoryStore.create();
        MaintenanceExecutor executor = new ScriptedExecutor();
        TableHealth events = TestData.health(TableId.parse("demo.events"), store.now(), false);
        TableSource tableSource = new FakeTableSource(store::now).withTable(events);
        store.tables().upsert(events);

        // --- README sample starts here ---
        SnowpackConfig config = SnowpackConfig.fromEnvironment()   // SNOWPACK_* variables, else defaults
                .toBuilder().orchestratorIncludeDatabases(List.of("demo")).build();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

        LeaderElection leader = LeaderElection.builder().elector(store.leaders()).build();
        leader.start();                                             // renews on its own thread; one process leads
        Sweeper sweeper = Sweeper.builder().store(store).config(config).leader(leader).build();
        sweeper.start(scheduler);                                   // reclaim_stale every sweeper.interval
        HealthSync healthSync = HealthSync.builder().store(store).source(tableSource).config(config).build();
        healthSync.start(scheduler);                                // table cache every health_sync.interval
        Orchestrator orchestrator = Orchestrator.builder().store(store).config(config)
                .leader(leader).build();                            // submissions fenced by the leader lease
        orchestrator.start(scheduler);                              // submits planned jobs every orchestrator.interval

        Worker worker = Worker.builder().store(store).executor(executor).config(config).slots(2).build();
        worker.start();                                             // or: System.exit(worker.runOnce().exitCode())

        MaintenanceService service = MaintenanceService.builder().store(store).config(config).build();
        Job job = service.submit(TableId.parse("demo.events"), List.of(MaintenanceAction.EXPIRE_SNAPSHOTS), false);
        MaintenancePlan plan = service.plan(TableId.parse("demo.events"));   // what the orchestrator would do, and why
        // --- README sample ends here ---

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (service.get(job.jobId()).status() != JobStatus.COMPLETED && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(service.get(job.jobId()).status()).isEqualTo(JobStatus.COMPLETED);

        assertThat(plan.skippedBy()).containsExactly(SkipReason.NOT_OPTED_IN);
        while (!leader.isLeader() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        OrchestratorRun run = orchestrator.runOnce().orElseThrow();
        assertThat(run.leader()).isEqualTo(leader.holderId());
        assertThat(run.skippedByReason()).containsEntry("not_opted_in", 1);

        worker.close();                                             // graceful: running jobs go back to the queue
        orchestrator.close();
        healthSync.close();
        sweeper.close();
        leader.close();
        scheduler.shutdown();
        assertThat(store.leaders().current(LeaderElection.SCHEDULER)).isEmpty();
    }
}
