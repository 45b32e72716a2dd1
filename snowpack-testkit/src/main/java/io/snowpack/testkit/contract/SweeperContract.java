package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.leader.LeaderElection;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.OrchestratorRun;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.JobTransition;
import io.snowpack.core.sweeper.SweepReport;
import io.snowpack.core.sweeper.Sweeper;
import io.snowpack.testkit.SettableClock;
import io.snowpack.testkit.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the sweeper does on every backend. */
public abstract class SweeperContract extends StoreContractSupport {
    private static final TableId OFFERS = TableId.parse("offer_service.offers");
    private static final TableId ORDERS = TableId.parse("offer_service.orders");

    private MaintenanceService service;

    @BeforeEach
    void seedTables() {
        service = MaintenanceService.builder().store(store).build();
        store.tables().upsert(TestData.health(OFFERS, store.now(), true));
        store.tables().upsert(TestData.health(ORDERS, store.now(), true));
    }

    private Sweeper sweeper(SnowpackConfig config) {
        return Sweeper.builder().store(store).config(config).build();
    }

    private Job submit(TableId table) {
        return service.submit(table, List.of(MaintenanceAction.EXPIRE_SNAPSHOTS), false);
    }

    private Claim startRunning(Job job) {
        Claim claim = store.queue().claim("worker-1", 1).get(0);
        assertThat(claim.jobId()).isEqualTo(job.jobId());
        store.jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.running(claim.attempts()));
        return claim;
    }

    @Test
    void aStalledClaimGoesBackToTheQueueWithItsFenceRevoked() {
        Job job = submit(OFFERS);
        Claim stalled = startRunning(job);
        advance(Duration.ofMinutes(31));

        SweepReport report = sweeper(SnowpackConfig.defaults()).runOnce();

        assertThat(report.claimsReclaimed()).isEqualTo(1);
        assertThat(report.jobsFailed()).isZero();
        Job requeued = store.jobs().find(job.jobId()).orElseThrow();
        assertThat(requeued.status()).isEqualTo(JobStatus.PENDING);
        assertThat(requeued.error()).contains("no heartbeat from worker worker-1");
        assertThat(store.queue().heartbeat(stalled)).isFalse();
        assertThat(store.queue().readyDepth()).isEqualTo(1);
        assertThat(store.locks().current(OFFERS.key()).orElseThrow().holder()).isEqualTo(job.jobId().value());
        Claim next = store.queue().claim("worker-2", 1).get(0);
        assertThat(next.attempts()).isEqualTo(2);
    }

    /**
     * A worker starts no work or commit on a claim it confirmed more than the threshold less one heartbeat interval
     * ago; the sweeper waits for the threshold plus one interval, so work started in time can still land.
     */
    @Test
    void aClaimIsReclaimedOnlyAHeartbeatIntervalPastTheThreshold() {
        SnowpackConfig config = SnowpackConfig.defaults();
        Job job = submit(OFFERS);
        startRunning(job);
        advance(config.staleClaimThreshold().plus(config.heartbeatInterval().dividedBy(2)));

        assertThat(sweeper(config).runOnce().claimsReclaimed()).as("inside the grace").isZero();

        advance(config.heartbeatInterval());
        SweepReport report = sweeper(config).runOnce();

        assertThat(report.claimsReclaimed()).isEqualTo(1);
        assertThat(store.jobs().find(job.jobId()).orElseThrow().error())
                .contains("for over 30 min 30 s").doesNotContain("0 minutes");
    }

    @Test
    void aHeartbeatingClaimIsLeftAlone() {
        Job job = submit(OFFERS);
        Claim claim = startRunning(job);
        advance(Duration.ofMinutes(20));
        store.queue().heartbeat(claim);
        advance(Duration.ofMinutes(20));

        assertThat(sweeper(SnowpackConfig.defaults()).runOnce().claimsReclaimed()).isZero();
        assertThat(store.queue().heartbeat(claim)).isTrue();
    }

    @Test
    void aStalledJobPastMaxAttemptsFailsAndFreesItsTable() {
        Job job = submit(OFFERS);
        startRunning(job);
        advance(Duration.ofMinutes(31));

        SweepReport report = sweeper(SnowpackConfig.builder().maxAttempts(1).build()).runOnce();

        assertThat(report.jobsFailed()).isEqualTo(1);
        Job failed = store.jobs().find(job.jobId()).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).startsWith("Abandoned: no heartbeat").contains("attempt 1 of 1");
        assertThat(store.queue().entry(job.jobId())).isEmpty();
        assertThat(store.locks().current(OFFERS.key())).isEmpty();
    }

    @Test
    void expiredLocksAreReleasedUnlessTheirJobIsStillWaitingInTheQueue() {
        Job waiting = submit(OFFERS);
        store.locks().tryAcquire("orphan.table", "gone-holder", Duration.ofMinutes(1)).orElseThrow();
        advance(SnowpackConfig.DEFAULT_LOCK_TTL.plusMinutes(1));

        SweepReport report = sweeper(SnowpackConfig.defaults()).runOnce();

        assertThat(report.locksReleased()).isEqualTo(1);
        assertThat(report.locksRenewed()).isEqualTo(1);
        assertThat(store.locks().current("orphan.table")).isEmpty();
        assertThat(store.locks().current(OFFERS.key()).orElseThrow().holder()).isEqualTo(waiting.jobId().value());
        assertThat(store.locks().current(OFFERS.key()).orElseThrow().isExpiredAt(store.now())).isFalse();
    }

    @Test
    void aPendingJobWithoutAQueueRowIsFailedWithAClearError() {
        Job job = submit(OFFERS);
        store.queue().remove(job.jobId());

        SweepReport report = sweeper(SnowpackConfig.defaults()).runOnce();

        assertThat(report.jobsFailed()).isEqualTo(1);
        Job failed = store.jobs().find(job.jobId()).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isEqualTo("Inconsistent state: pending but not in the queue");
        assertThat(store.locks().current(OFFERS.key())).isEmpty();
    }

    @Test
    void oldTerminalJobsHealthSnapshotsAndOrchestratorRunsArePruned() {
        Job old = submit(OFFERS);
        service.cancel(old.jobId());
        Instant then = store.now();
        store.orchestratorRuns().record(new OrchestratorRun(0, "api-1", then, then, 0, 0, 0, 0, 0, Map.of(), null));
        advance(Duration.ofDays(91));
        Job recent = submit(ORDERS);

        SweepReport report = sweeper(SnowpackConfig.defaults()).runOnce();

        assertThat(report.jobsPruned()).isEqualTo(1);
        assertThat(report.snapshotsPruned()).isEqualTo(2);
        assertThat(report.orchestratorRunsPruned()).isEqualTo(1);
        assertThat(store.orchestratorRuns().recent(10)).isEmpty();
        assertThat(store.jobs().list(JobQuery.all())).extracting(Job::jobId).containsExactly(recent.jobId());
        assertThat(store.tables().get(OFFERS)).as("the current health is never pruned").isPresent();
    }

    @Test
    void aLeaderDeposedSinceItLookedReclaimsNothing() {
        Job job = submit(OFFERS);
        startRunning(job);
        // A frozen local clock stands for a leader that checked its lease and then stalled.
        LeaderElection deposed = LeaderElection.builder().elector(store.leaders()).holderId("api-1")
                .clock(new SettableClock()).build();
        assertThat(deposed.tick()).isTrue();
        advance(Duration.ofMinutes(31));
        LeaderElection successor = LeaderElection.builder().elector(store.leaders()).holderId("api-2").clock(clock)
                .build();
        assertThat(successor.tick()).isTrue();

        SweepReport stale = Sweeper.builder().store(store).leader(deposed).build().runOnce();

        assertThat(stale.skipped()).isEqualTo("lost the lead");
        assertThat(store.jobs().find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(deposed.isLeader()).isFalse();
        SweepReport fresh = Sweeper.builder().store(store).leader(successor).build().runOnce();
        assertThat(fresh.claimsReclaimed()).as("the stale claim was still there for the real leader").isEqualTo(1);
    }

    @Test
    void nothingHappensOffTheLeaderOrInDrainMode() {
        Job job = submit(OFFERS);
        Claim stalled = startRunning(job);
        advance(Duration.ofMinutes(31));

        SweepReport follower = Sweeper.builder().store(store).leader(() -> false).build().runOnce();
        store.settings().setDrainMode(true);
        SweepReport drained = sweeper(SnowpackConfig.defaults()).runOnce();

        assertThat(follower.skipped()).isEqualTo("not leader");
        assertThat(drained.skipped()).isEqualTo("drain mode");
        assertThat(store.queue().heartbeat(stalled)).isTrue();
        assertThat(store.jobs().find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }
}
