package io.snowpack.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.QueueEntry;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.sweeper.SweepReport;
import io.snowpack.core.sweeper.Sweeper;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.TestDatabases;
import io.snowpack.testkit.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, scenario 3: a worker is paused (SIGSTOP) mid-job for longer than the stale threshold; the sweeper
 * reclaims its job and another worker completes it; when the paused worker resumes (SIGCONT) its late heartbeat,
 * result and commit are all refused.
 */
class StalledWorkerTest {
    private static final TableId SLOW = TableId.of("stall", "slow_orders");

    @TempDir
    Path logs;

    @Test
    void aWorkerResumedAfterItsJobWasReclaimedWritesNothing() throws Exception {
        DataSource dataSource = TestDatabases.postgres();
        String schema = TestDatabases.newSchema(dataSource, "stall");
        Ledger ledger = new Ledger(dataSource, schema);
        ledger.create();
        Map<String, String> env = ChaosEnvironment.of(schema);
        SnowpackConfig config = ChaosEnvironment.config(env);
        try (SnowpackStore store = JdbcStore.builder(dataSource).schema(schema).build();
                WorkerProcess stalled = WorkerProcess.start(env, logs, "stalled")) {
            store.tables().upsert(TestData.health(SLOW, store.now(), true));
            MaintenanceService service = MaintenanceService.builder().store(store).config(config).build();
            Sweeper sweeper = Sweeper.builder().store(store).config(config).build();
            Job job = service.submit(SLOW, List.of(MaintenanceAction.REWRITE_DATA_FILES), false);
            QueueEntry firstClaim = await(() -> store.queue().entry(job.jobId())
                    .filter(entry -> entry.claimedBy() != null), "the first worker to claim the job");
            Thread.sleep(1_000); // inside the 8 s action, between two checkpoints

            stalled.pause();
            Thread.sleep(config.staleClaimThreshold().plusSeconds(1).toMillis());
            SweepReport sweep = sweeper.runOnce();
            assertThat(sweep.claimsReclaimed()).isEqualTo(1);
            try (WorkerProcess rescuer = WorkerProcess.start(env, logs, "rescuer")) {
                await(() -> store.queue().entry(job.jobId()).filter(e -> e.claimedBy() != null
                        && !e.claimedBy().equals(firstClaim.claimedBy())), "the rescuer to claim the job");
                stalled.resume();
                await(() -> Optional.of(service.get(job.jobId())).filter(Job::isTerminal), "the job to end");
                Thread.sleep(2_000); // the resumed worker reaches its next checkpoint and timer beat meanwhile
                Job done = service.get(job.jobId());
                List<Ledger.Commit> commits = ledger.commits();
                String stalledLog = stalled.log();
                long refusedLateWrites = stalledLog.lines().filter(l -> l.contains("Heartbeat refused")
                        || l.contains("revoked")).count();

                ReliabilityReport.write("sigstop-stall", "paused_seconds",
                        config.staleClaimThreshold().plusSeconds(1).toSeconds(), "reclaimed", sweep.claimsReclaimed(),
                        "commits", commits.size(), "commits_with_revoked_fence",
                        commits.stream().filter(c -> !c.fenceValid()).count(), "job_attempts", done.attempts(),
                        "results", done.results().size(), "refused_late_writes_logged", refusedLateWrites);

                assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.attempts()).isEqualTo(2);
                assertThat(done.results()).hasSize(1);
                assertThat(commits).singleElement().satisfies(commit -> {
                    assertThat(commit.attempt()).isEqualTo(2);
                    assertThat(commit.fenceValid()).isTrue();
                    assertThat(commit.worker()).startsWith(rescuer.pid() + "@");
                });
                assertThat(refusedLateWrites).as("the stalled worker saw its fence revoked:%n%s", stalledLog)
                        .isPositive();
                assertThat(stalled.terminate()).isEqualTo(WorkerProcess.TERMINATED);
            }
        }
    }

    private static <T> T await(Supplier<Optional<T>> probe, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
