package io.snowpack.testkit.contract;

import static io.snowpack.core.model.MaintenanceAction.EXPIRE_SNAPSHOTS;
import static io.snowpack.core.model.MaintenanceAction.REWRITE_DATA_FILES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.MaintenanceConflictException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.QueueEntry;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.Subscription;
import io.snowpack.core.sweeper.Sweeper;
import io.snowpack.core.worker.JobOutcome;
import io.snowpack.core.worker.Worker;
import io.snowpack.testkit.FaultyStore;
import io.snowpack.testkit.GatedExecutor;
import io.snowpack.testkit.ScriptedExecutor;
import io.snowpack.testkit.FakeTableSource;
import io.snowpack.testkit.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What workers do on every backend. */
public abstract class WorkerContract extends StoreContractSupport {
    private static final TableId OFFERS = TableId.parse("offer_service.offers");
    private static final TableId RATES = TableId.parse("offer_service.rates");
    private static final SnowpackConfig CONFIG = SnowpackConfig.builder()
            .retryBackoffBase(Duration.ofMinutes(1)).retryJitter(0).maxAttempts(3).build();

    private MaintenanceService service;
    private GatedExecutor executor;

    @BeforeEach
    void seed() {
        service = MaintenanceService.builder().store(store).config(CONFIG).build();
        executor = new GatedExecutor(3);
        store.tables().upsert(TestData.health(OFFERS, store.now(), true));
    }

    private Worker worker(String id) {
        return Worker.builder().store(store).executor(executor).config(CONFIG).workerId(id)
                .pollInterval(Duration.ofMillis(5), Duration.ofMillis(50)).shutdownTimeout(Duration.ofSeconds(20))
                .build();
    }

    private Worker worker(String id, SnowpackConfig config, MeterRegistry registry) {
        return Worker.builder().store(store).executor(executor).config(config).workerId(id).meterRegistry(registry)
                .pollInterval(Duration.ofMillis(5), Duration.ofMillis(50)).shutdownTimeout(Duration.ofSeconds(20))
                .build();
    }

    private Job submit(TableId table) {
        return service.submit(table, List.of(EXPIRE_SNAPSHOTS, REWRITE_DATA_FILES), false);
    }

    private Worker pool(SnowpackStore backend, String id, int slots) {
        return Worker.builder().store(backend).executor(executor).config(CONFIG).workerId(id).slots(slots)
                .pollInterval(Duration.ofMillis(5), Duration.ofMillis(50)).shutdownTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** Waits (polling the store) until the job has {@code status}; fails after 30 s. */
    private void awaitStatus(JobId jobId, JobStatus status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (service.get(jobId).status() != status && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(service.get(jobId).status()).as("status of job %s", jobId).isEqualTo(status);
    }

    @Test
    void runOnceRunsOneJobToCompletionAndIsIdleWhenTheQueueIsEmpty() {
        assertThat(worker("w").runOnce()).isEqualTo(JobOutcome.IDLE);
        Job job = submit(OFFERS);

        assertThat(worker("w").runOnce()).isEqualTo(JobOutcome.COMPLETED);

        Job done = service.get(job.jobId());
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.results()).extracting(ActionResult::action).containsExactly(REWRITE_DATA_FILES,
                EXPIRE_SNAPSHOTS);
        assertThat(done.results()).allMatch(ActionResult::success);
        assertThat(store.queue().entry(job.jobId())).isEmpty();
        assertThat(store.locks().current(OFFERS.key())).isEmpty();
        assertThat(JobOutcome.IDLE.exitCode()).isZero();
    }

    @Test
    void aRunOnceWorkerRefreshesTheTablesCachedHealthBeforeItReturns() {
        FakeTableSource catalog = new FakeTableSource(clock)
                .withTable(TestData.health(OFFERS, store.now(), true).toBuilder().dataFiles(3).smallFiles(0).build());
        Job job = submit(OFFERS);
        assertThat(store.tables().get(OFFERS).orElseThrow().dataFiles()).isEqualTo(847);

        JobOutcome outcome = Worker.builder().store(store).executor(executor).config(CONFIG).workerId("w")
                .tableSource(catalog).build().runOnce();

        assertThat(outcome).isEqualTo(JobOutcome.COMPLETED);
        assertThat(service.get(job.jobId()).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(store.tables().get(OFFERS).orElseThrow().dataFiles()).as("health as the job left the table")
                .isEqualTo(3);
        assertThat(store.tables().get(OFFERS).orElseThrow().smallFiles()).isZero();
    }

    @Test
    void aPoolWorkerRefreshesEachTableAfterItsJobAndKeepsTheCachedHealthWhenTheCatalogFails() throws Exception {
        TableId broken = TableId.parse("offer_service.broken");
        store.tables().upsert(TestData.health(broken, store.now(), true));
        FakeTableSource catalog = new FakeTableSource(clock)
                .withTable(TestData.health(OFFERS, store.now(), true).toBuilder().dataFiles(3).smallFiles(0).build())
                .withTable(TestData.health(broken, store.now(), true).toBuilder().dataFiles(5).smallFiles(0).build());
        catalog.failTable(broken);
        Job failing = submit(broken);
        Job job = submit(OFFERS);
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Worker worker = Worker.builder().store(store).executor(executor).config(CONFIG).workerId("w")
                .slots(2).tableSource(catalog).meterRegistry(registry)
                .pollInterval(Duration.ofMillis(5), Duration.ofMillis(50)).build()) {
            worker.start();
            awaitStatus(job.jobId(), JobStatus.COMPLETED);
            awaitStatus(failing.jobId(), JobStatus.COMPLETED);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && (store.tables().get(OFFERS).orElseThrow().dataFiles() != 3
                    || registry.counter("snowpack.worker.health_refreshes", "outcome", "failed").count() < 1)) {
                Thread.sleep(10);
            }
        }
        assertThat(store.tables().get(OFFERS).orElseThrow().dataFiles()).isEqualTo(3);
        assertThat(store.tables().get(broken).orElseThrow().dataFiles()).as("kept when the catalog fails")
                .isEqualTo(847);
        assertThat(registry.counter("snowpack.worker.health_refreshes", "outcome", "refreshed").count())
                .isGreaterThanOrEqualTo(1);
        assertThat(registry.counter("snowpack.worker.health_refreshes", "outcome", "failed").count()).isEqualTo(1);
    }

    @Test
    void aPoolOfWorkersRunsManyJobsToCompletion() throws Exception {
        int tables = 500;
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < tables; i++) {
            TableId table = TableId.of("bulk", "t" + i);
            store.tables().upsert(TestData.health(table, store.now(), true));
            jobs.add(service.submit(table, List.of(REWRITE_DATA_FILES), false));
        }
        List<Worker> pool = List.of(worker("w1"), worker("w2"), worker("w3"));
        pool.forEach(Worker::start);
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (store.jobs().list(JobQuery.all().withStatus(JobStatus.COMPLETED).withLimit(500)).size() < tables
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            pool.forEach(Worker::close);
        }
        assertThat(store.jobs().list(JobQuery.all().withLimit(500))).hasSize(tables)
                .allSatisfy(job -> assertThat(job.status()).isEqualTo(JobStatus.COMPLETED));
        assertThat(executor.commits()).hasSize(tables);
        assertThat(store.queue().readyDepth()).isZero();
    }

    @Test
    void anIdleWorkerIsWokenByTheStoreWhenAJobIsQueued() throws Exception {
        Subscription probe = store.onJobsReady(() -> { });
        assumeTrue(probe != Subscription.NONE, store + " does not notify; its workers rely on polling");
        probe.close();
        Worker sleepy = Worker.builder().store(store).executor(executor).config(CONFIG).workerId("sleepy")
                .pollInterval(Duration.ofMinutes(5), Duration.ofMinutes(5)).shutdownTimeout(Duration.ofSeconds(20))
                .build();
        sleepy.start();
        try {
            Thread.sleep(300); // its first poll found nothing: it now waits five minutes unless woken
            Job job = submit(OFFERS);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (service.get(job.jobId()).status() != JobStatus.COMPLETED && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(service.get(job.jobId()).status()).isEqualTo(JobStatus.COMPLETED);
        } finally {
            sleepy.close();
        }
    }

    /**
     * Claims that fail while the database is down (or its schema is not migrated yet) give their slots back: once
     * the database answers again the worker claims with every slot, by itself.
     */
    @Test
    void aPoolWorkerResumesClaimingWithEverySlotAfterADatabaseOutage() throws Exception {
        store.tables().upsert(TestData.health(RATES, store.now(), true));
        FaultyStore database = new FaultyStore(store);
        Worker worker = pool(database, "survivor", 2);
        database.goDown();
        worker.start();
        try {
            database.awaitFailures("claim", 1, Duration.ofSeconds(30));
            database.comeBack();
            executor.hold(OFFERS).hold(RATES);
            Job offers = submit(OFFERS);
            Job rates = submit(RATES);

            executor.awaitArrival(OFFERS);
            executor.awaitArrival(RATES);
            executor.open(OFFERS);
            executor.open(RATES);
            awaitStatus(offers.jobId(), JobStatus.COMPLETED);
            awaitStatus(rates.jobId(), JobStatus.COMPLETED);
        } finally {
            worker.close();
        }
    }

    /**
     * A store that hands a claim more started jobs than it asked for (a defect, as a claim statement reading its
     * candidates twice once was) does not stop the worker: it runs them all, and claims again once as many slots as
     * they overdrew are free.
     */
    @Test
    void aPoolWorkerSurvivesAStoreThatClaimsMoreThanAsked() throws Exception {
        store.tables().upsert(TestData.health(RATES, store.now(), true));
        Job offers = submit(OFFERS);
        Job rates = submit(RATES);
        FaultyStore database = new FaultyStore(store);
        database.overClaimNext(1);
        Worker worker = pool(database, "overdrawn", 1);
        worker.start();
        try {
            awaitStatus(offers.jobId(), JobStatus.COMPLETED);
            awaitStatus(rates.jobId(), JobStatus.COMPLETED);
            Job again = submit(OFFERS);
            awaitStatus(again.jobId(), JobStatus.COMPLETED);
        } finally {
            worker.close();
        }
    }

    /**
     * A database error while a job settles (its queue row completed with the others that end at once, its result recorded, or its retry scheduled)
     * does not abandon the job to the sweeper: the write is retried while the claim is ours.
     */
    @ParameterizedTest(name = "{0} fails twice")
    @ValueSource(strings = {"completeAll", "addResult", "retry"})
    void aDatabaseErrorWhileSettlingIsRetriedWhileTheClaimIsOurs(String write) {
        boolean transientFailure = write.equals("retry");
        if (transientFailure) {
            executor.failTransiently(OFFERS, 1);
        }
        Job job = submit(OFFERS);
        FaultyStore database = new FaultyStore(store);
        database.failNext(write, 2);

        JobOutcome outcome = Worker.builder().store(database).executor(executor).config(CONFIG).workerId("w")
                .pollInterval(Duration.ofMillis(5), Duration.ofMillis(50)).build().runOnce();

        assertThat(database.failures(write)).isEqualTo(2);
        Job settled = service.get(job.jobId());
        if (transientFailure) {
            assertThat(outcome).isEqualTo(JobOutcome.RETRY_SCHEDULED);
            assertThat(settled.status()).isEqualTo(JobStatus.PENDING);
            assertThat(settled.results()).singleElement().satisfies(r -> assertThat(r.success()).isFalse());
            assertThat(store.queue().entry(job.jobId()).orElseThrow().isClaimed()).isFalse();
        } else {
            assertThat(outcome).isEqualTo(JobOutcome.COMPLETED);
            assertThat(settled.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(settled.results()).extracting(ActionResult::action).containsExactly(REWRITE_DATA_FILES,
                    EXPIRE_SNAPSHOTS);
            assertThat(store.queue().entry(job.jobId())).isEmpty();
            assertThat(store.locks().current(OFFERS.key())).isEmpty();
        }
    }

    @Test
    void aTransientFailureIsRetriedWithBackoffUntilMaxAttempts() {
        executor.failTransiently(OFFERS, 3);
        Job job = submit(OFFERS);

        assertThat(worker("w").runOnce()).isEqualTo(JobOutcome.RETRY_SCHEDULED);
        Job retrying = service.get(job.jobId());
        assertThat(retrying.status()).isEqualTo(JobStatus.PENDING);
        assertThat(retrying.error()).contains("commit conflict");
        assertThat(retrying.results()).extracting(ActionResult::success).containsExactly(false);
        Instant visibleAt = store.queue().entry(job.jobId()).orElseThrow().visibleAt();
        assertThat(visibleAt).isEqualTo(store.now().plus(Duration.ofMinutes(1)));
        assertThat(worker("w").runOnce()).as("not visible before the backoff").isEqualTo(JobOutcome.IDLE);

        advance(Duration.ofMinutes(1));
        assertThat(worker("w").runOnce()).isEqualTo(JobOutcome.RETRY_SCHEDULED);
        assertThat(store.queue().entry(job.jobId()).orElseThrow().visibleAt())
                .as("the second backoff doubles").isEqualTo(store.now().plus(Duration.ofMinutes(2)));

        advance(Duration.ofMinutes(2));
        assertThat(worker("w").runOnce()).isEqualTo(JobOutcome.FAILED);
        Job failed = service.get(job.jobId());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.error()).contains("commit conflict").contains("attempt 3 of 3");
        assertThat(store.locks().current(OFFERS.key())).isEmpty();
        assertThat(store.queue().entry(job.jobId())).isEmpty();
    }

    @Test
    void aPermanentFailureFailsAtOnceAndKeepsEarlierResults() {
        executor.failPermanently(OFFERS);
        Job job = submit(OFFERS);

        assertThat(worker("w").runOnce()).isEqualTo(JobOutcome.FAILED);

        Job failed = service.get(job.jobId());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.error()).contains("corrupt manifest");
        assertThat(failed.results()).singleElement().satisfies(r -> assertThat(r.success()).isFalse());
    }

    /**
     * An outage of the catalog or object store costs a job nothing: however often it meets one, it keeps its
     * attempts, records no failed result, and waits in the queue (saying why) until the service answers again.
     */
    @Test
    void aJobThatCannotReachTheCatalogWaitsWithoutSpendingAnAttemptAndSucceedsWhenItIsBack() {
        SnowpackConfig oneAttempt = CONFIG.toBuilder().maxAttempts(1).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        executor.unreachable(OFFERS, REWRITE_DATA_FILES, 4);
        Job job = submit(OFFERS);

        for (int outage = 1; outage <= 4; outage++) {
            assertThat(worker("w", oneAttempt, registry).runOnce()).as("run %d", outage)
                    .isEqualTo(JobOutcome.POSTPONED);
            Job waiting = service.get(job.jobId());
            assertThat(waiting.status()).isEqualTo(JobStatus.PENDING);
            assertThat(waiting.error()).startsWith("waiting for the catalog or object store: ")
                    .contains("Connection refused");
            assertThat(waiting.results()).as("no failed result for an outage").isEmpty();
            QueueEntry entry = store.queue().entry(job.jobId()).orElseThrow();
            assertThat(entry.attempts()).as("the attempt does not count").isZero();
            assertThat(entry.visibleAt()).isAfter(store.now())
                    .isBeforeOrEqualTo(store.now().plus(oneAttempt.outageBackoffMax()));
            assertThat(worker("other", oneAttempt, registry).runOnce()).as("not claimable before its delay")
                    .isEqualTo(JobOutcome.IDLE);
            advance(oneAttempt.outageBackoffMax());
        }
        assertThat(worker("other", oneAttempt, registry).runOnce()).isEqualTo(JobOutcome.COMPLETED);

        Job done = service.get(job.jobId());
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.results()).extracting(ActionResult::action).containsExactly(REWRITE_DATA_FILES,
                EXPIRE_SNAPSHOTS);
        assertThat(done.results()).allMatch(ActionResult::success);
        assertThat(executor.commits()).hasSize(2).allMatch(commit -> commit.contains(" 1 "));
        assertThat(registry.counter("snowpack.jobs.finished", "outcome", "unavailable", "trigger",
                done.trigger().wireName()).count()).isEqualTo(4);
        assertThat(store.locks().current(OFFERS.key())).isEmpty();
    }

    @Test
    void aTransientFailureThatIsNoOutageStillSpendsTheAttempt() {
        SnowpackConfig oneAttempt = CONFIG.toBuilder().maxAttempts(1).build();
        executor.failTransiently(OFFERS, 1);
        Job job = submit(OFFERS);

        assertThat(worker("w", oneAttempt, new SimpleMeterRegistry()).runOnce()).isEqualTo(JobOutcome.FAILED);

        Job failed = service.get(job.jobId());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.error()).contains("commit conflict").contains("attempt 1 of 1");
        assertThat(failed.results()).singleElement().satisfies(r -> assertThat(r.success()).isFalse());
    }

    /** The outage hits the job's second action: the first one, already committed, is not committed again. */
    @Test
    void anActionThatSucceededBeforeAnOutageIsNotRunAgain() {
        executor.unreachable(OFFERS, EXPIRE_SNAPSHOTS, 2);
        Job job = submit(OFFERS);

        assertThat(worker("w").runOnce()).isEqualTo(JobOutcome.POSTPONED);
        assertThat(service.get(job.jobId()).results()).singleElement().satisfies(result -> {
            assertThat(result.action()).isEqualTo(REWRITE_DATA_FILES);
            assertThat(result.success()).isTrue();
        });
        advance(CONFIG.outageBackoffMax());
        assertThat(worker("w").runOnce()).isEqualTo(JobOutcome.POSTPONED);
        advance(CONFIG.outageBackoffMax());
        assertThat(worker("w").runOnce()).isEqualTo(JobOutcome.COMPLETED);

        Job done = service.get(job.jobId());
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.results()).extracting(ActionResult::action).containsExactly(REWRITE_DATA_FILES,
                EXPIRE_SNAPSHOTS);
        assertThat(done.results()).allMatch(ActionResult::success);
        assertThat(executor.commits()).filteredOn(commit -> commit.contains(" " + REWRITE_DATA_FILES + " "))
                .as("committed once").hasSize(1);
        assertThat(executor.commits()).hasSize(2);
    }

    /**
     * After an outage a pool worker claims nothing for a while (the first pause is a second) instead of taking job
     * after job from the queue only to postpone each; a job that finds the services answering ends the pause, and
     * the postponed job is claimed again once its delay has passed.
     */
    @Test
    void aPoolWorkerPausesClaimingAfterAnOutageAndResumesByItself() throws Exception {
        store.tables().upsert(TestData.health(RATES, store.now(), true));
        executor.unreachable(OFFERS, REWRITE_DATA_FILES, 1);
        Job offers = submit(OFFERS);
        Worker worker = pool(store, "patient", 1);
        long begin = System.nanoTime();
        worker.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (service.get(offers.jobId()).error() == null && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(service.get(offers.jobId()).error()).startsWith("waiting for the catalog or object store");
            Job rates = submit(RATES);

            awaitStatus(rates.jobId(), JobStatus.COMPLETED);
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("no claim during the first pause")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(service.get(offers.jobId()).status()).as("not claimable before its delay")
                    .isEqualTo(JobStatus.PENDING);
            advance(CONFIG.outageBackoffMax());
            awaitStatus(offers.jobId(), JobStatus.COMPLETED);
        } finally {
            worker.close();
        }
        assertThat(service.get(offers.jobId()).attempts()).isEqualTo(1);
    }

    @Test
    void cancellingARunningJobStopsItAtTheNextCheckpointWithNoFurtherWrites() throws Exception {
        executor.hold(OFFERS);
        Job job = submit(OFFERS);
        CompletableFuture<JobOutcome> outcome = CompletableFuture.supplyAsync(() -> worker("w").runOnce());
        executor.awaitArrival(OFFERS);

        service.cancel(job.jobId());
        assertThat(store.locks().current(OFFERS.key())).as("held until the worker confirms it stopped").isPresent();
        executor.open(OFFERS);

        assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(JobOutcome.REVOKED);
        Job cancelled = service.get(job.jobId());
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.results()).isEmpty();
        assertThat(cancelled.stopConfirmedAt()).isNotNull();
        assertThat(executor.commits()).isEmpty();
        assertThat(store.locks().current(OFFERS.key())).as("released once the worker stopped").isEmpty();
    }

    /**
     * No catalog can check our fence inside its commit: a commit already in flight when the job is cancelled still
     * lands. The table stays locked until the worker stops, and the job records the commit instead of hiding it.
     */
    @Test
    void aCommitThatLandsAfterTheCancelIsRecordedOnTheJobAndTheTableStaysLockedUntilThen() throws Exception {
        executor.holdCommit(OFFERS);
        Job job = submit(OFFERS);
        CompletableFuture<JobOutcome> outcome = CompletableFuture.supplyAsync(() -> worker("w").runOnce());
        executor.awaitCommit(OFFERS);

        Job cancelled = service.cancel(job.jobId());
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThatThrownBy(() -> submit(OFFERS)).as("no other job starts while a revoked commit may land")
                .isInstanceOf(MaintenanceConflictException.class);
        executor.openCommit(OFFERS);

        assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(JobOutcome.REVOKED);
        Job after = service.get(job.jobId());
        assertThat(after.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(executor.commits()).hasSize(1);
        assertThat(after.results()).singleElement().satisfies(result -> {
            assertThat(result.success()).isTrue();
            assertThat(result.message()).startsWith("After the fence was revoked: ");
        });
        assertThat(after.stopConfirmedAt()).isNotNull();
        assertThat(store.locks().current(OFFERS.key())).isEmpty();
    }

    /**
     * A job that waited in the queue longer than its lock TTL has its lock renewed (or re-taken) in the unit of work
     * that confirms its claim and marks it running. A sweep that re-takes the expired lock for the waiting job while
     * that unit of work runs must not leave the job starting with the old lease, only to lose its table at the first
     * heartbeat (it stopped 11-42 ms after starting and waited for the sweeper).
     */
    @Test
    void aJobWhoseLockExpiredWhileItWaitedKeepsItWhenASweepRacesItsStart() throws Exception {
        Job job = submit(OFFERS);
        advance(CONFIG.lockTtl().plusMinutes(1));
        FaultyStore database = new FaultyStore(store);
        database.hold("current"); // the start reads the table lock, then waits half done
        Worker worker = Worker.builder().store(database).executor(executor).config(CONFIG).workerId("w").build();
        CompletableFuture<JobOutcome> outcome = CompletableFuture.supplyAsync(worker::runOnce);
        database.awaitHeldClaim();

        Thread sweep = new Thread(() -> Sweeper.builder().store(store).config(CONFIG).build().runOnce(), "sweep");
        sweep.start();
        while (sweep.isAlive() && sweep.getState() == Thread.State.RUNNABLE) {
            Thread.onSpinWait(); // done, or waiting for the start (a backend that runs units of work one at a time)
        }
        database.releaseClaims();
        sweep.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(JobOutcome.COMPLETED);
        assertThat(service.get(job.jobId()).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(store.locks().current(OFFERS.key())).isEmpty();
    }

    @Test
    void anAbandonedClaimIsReclaimedAndTheLateWorkerCanWriteNothing() throws Exception {
        executor.hold(OFFERS);
        Job job = submit(OFFERS);
        CompletableFuture<JobOutcome> late = CompletableFuture.supplyAsync(() -> worker("stalled").runOnce());
        executor.awaitArrival(OFFERS);

        advance(CONFIG.staleClaimThreshold().plusMinutes(1));
        assertThat(Sweeper.builder().store(store).config(CONFIG).build().runOnce().claimsReclaimed()).isEqualTo(1);
        executor.open(OFFERS);
        assertThat(late.get(30, TimeUnit.SECONDS)).isEqualTo(JobOutcome.REVOKED);
        assertThat(executor.commits()).isEmpty();
        assertThat(service.get(job.jobId()).status()).isEqualTo(JobStatus.PENDING);

        assertThat(worker("rescuer").runOnce()).isEqualTo(JobOutcome.COMPLETED);
        Job done = service.get(job.jobId());
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(executor.commits()).hasSize(2).allMatch(commit -> commit.contains(" 2 "));
    }

    @Test
    void gracefulShutdownHandsRunningJobsBackToTheQueue() throws Exception {
        executor.hold(OFFERS);
        Job job = submit(OFFERS);
        Worker worker = worker("w");
        worker.start();
        executor.awaitArrival(OFFERS);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(worker::close);
        Thread.sleep(50);
        executor.open(OFFERS);
        closing.get(30, TimeUnit.SECONDS);

        Job handedBack = service.get(job.jobId());
        assertThat(handedBack.status()).isEqualTo(JobStatus.PENDING);
        assertThat(handedBack.error()).isEqualTo("worker shut down");
        assertThat(store.queue().readyDepth()).isEqualTo(1);
        assertThat(executor.commits()).isEmpty();
        assertThat(store.locks().current(OFFERS.key()).orElseThrow().holder()).isEqualTo(job.jobId().value());
        assertThat(worker("next").runOnce()).isEqualTo(JobOutcome.COMPLETED);
    }

    /**
     * A worker with prefetch claims jobs beyond its slots: they are running for the rest of the system (their claims
     * and table locks held) and wait for a slot; on a graceful shutdown they go back to the queue with the job that
     * was running, nothing of theirs having run.
     */
    @Test
    void prefetchedJobsWaitForASlotAndGoBackToTheQueueOnShutdown() throws Exception {
        TableId orders = TableId.parse("offer_service.orders");
        store.tables().upsert(TestData.health(RATES, store.now(), true));
        store.tables().upsert(TestData.health(orders, store.now(), true));
        executor.hold(OFFERS).hold(RATES).hold(orders);
        List<Job> jobs = List.of(submit(OFFERS), submit(RATES), submit(orders));
        Worker worker = Worker.builder().store(store).executor(executor).config(CONFIG).workerId("prefetching")
                .slots(1).prefetch(2).pollInterval(Duration.ofMillis(5), Duration.ofMillis(50))
                .shutdownTimeout(Duration.ofSeconds(20)).build();
        worker.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (jobs.stream().anyMatch(job -> service.get(job.jobId()).status() != JobStatus.RUNNING)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(jobs).as("one running, two prefetched: all started by the claim")
                .allSatisfy(job -> assertThat(service.get(job.jobId()).status()).isEqualTo(JobStatus.RUNNING));
        assertThat(jobs).allSatisfy(job -> assertThat(store.queue().entry(job.jobId()).orElseThrow().claimedBy())
                .isEqualTo("prefetching"));
        TableId first = jobs.stream().map(Job::table).filter(table -> {
            try {
                executor.awaitArrival(table);
                return true;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).findFirst().orElseThrow();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(worker::close);
        Thread.sleep(50);
        executor.open(first);
        closing.get(30, TimeUnit.SECONDS);

        assertThat(executor.commits()).isEmpty();
        assertThat(store.queue().readyDepth()).isEqualTo(3);
        for (Job job : jobs) {
            Job handedBack = service.get(job.jobId());
            assertThat(handedBack.status()).isEqualTo(JobStatus.PENDING);
            assertThat(handedBack.error()).isEqualTo("worker shut down");
            assertThat(store.locks().current(job.table().key()).orElseThrow().holder()).isEqualTo(job.jobId().value());
        }
    }

    /**
     * Held jobs run their actions in the order they were claimed: with one slot and three jobs prefetched, each job's
     * first action runs after the first action of every job claimed before it.
     */
    @Test
    void heldJobsRunInTheOrderTheyWereClaimed() throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            TableId table = TableId.of("ordered", "t" + i);
            store.tables().upsert(TestData.health(table, store.now(), true));
            jobs.add(submit(table));
        }
        FaultyStore database = new FaultyStore(store);
        runUntilCompleted(Worker.builder().store(database).executor(executor).config(CONFIG).workerId("in-order")
                .slots(1).prefetch(3).pollInterval(Duration.ofMillis(5), Duration.ofMillis(50)).build(), jobs);
        List<String> firstActions = executor.commits().stream()
                .filter(commit -> commit.contains(" " + EXPIRE_SNAPSHOTS + " "))
                .map(commit -> commit.substring(0, commit.indexOf(' '))).toList();
        assertThat(firstActions).containsExactlyElementsOf(database.claimed().stream().map(JobId::value).toList());
        assertThat(executor.mostAtOnce()).as("actions running at once with one slot").isEqualTo(1);
    }

    /** Starts {@code worker}, waits until every one of {@code jobs} completed, and closes it. */
    private void runUntilCompleted(Worker worker, List<Job> jobs) throws InterruptedException {
        worker.start();
        try {
            for (Job job : jobs) {
                awaitStatus(job.jobId(), JobStatus.COMPLETED);
            }
        } finally {
            worker.close();
        }
    }

    /**
     * A job that ended lets the next one run while its outcome is being written: with one slot and one job
     * prefetched, the second job runs all its actions while the first job's settle waits on a slow database, and
     * both then complete. Its slot is what a job gives up when its actions end, not when its settle commits.
     */
    @Test
    void aJobThatEndedLetsThePrefetchedOneRunWhileItsSettleIsWritten() throws Exception {
        nextJobRunsWhileTheFirstSettleIsHeld(1);
    }

    /**
     * Without prefetch too: a worker with one slot claims and runs the next job while the last one's settle waits on
     * a slow database. Never more than one job runs its actions at a time.
     */
    @Test
    void aJobThatEndedLetsTheWorkerClaimAndRunTheNextOneWhileItsSettleIsWritten() throws Exception {
        nextJobRunsWhileTheFirstSettleIsHeld(0);
    }

    private void nextJobRunsWhileTheFirstSettleIsHeld(int prefetch) throws Exception {
        store.tables().upsert(TestData.health(RATES, store.now(), true));
        List<Job> jobs = List.of(submit(OFFERS), submit(RATES));
        FaultyStore database = new FaultyStore(store);
        database.holdSettles();
        Worker worker = Worker.builder().store(database).executor(executor).config(CONFIG).workerId("pipelining")
                .slots(1).prefetch(prefetch).pollInterval(Duration.ofMillis(5), Duration.ofMillis(50))
                .shutdownTimeout(Duration.ofSeconds(20)).build();
        worker.start();
        try {
            database.awaitHeldSettle();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (executor.commits().size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(executor.commits()).as("both jobs' actions ran while the first settle was held").hasSize(4);
            assertThat(jobs).as("the job whose settle is held").anySatisfy(job ->
                    assertThat(service.get(job.jobId()).status()).isEqualTo(JobStatus.RUNNING));
            database.releaseSettles();
            for (Job job : jobs) {
                awaitStatus(job.jobId(), JobStatus.COMPLETED);
            }
        } finally {
            database.releaseSettles();
            worker.close();
        }
        assertThat(executor.mostAtOnce()).as("actions running at once with one slot").isEqualTo(1);
        for (Job job : jobs) {
            assertThat(service.get(job.jobId()).results()).extracting(ActionResult::action)
                    .containsExactly(REWRITE_DATA_FILES, EXPIRE_SNAPSHOTS);
            assertThat(store.locks().current(job.table().key())).isEmpty();
        }
        assertThat(store.queue().readyDepth()).isZero();
    }

    /** Jobs that end together are settled together: every one completed, with its results, and its table freed. */
    @Test
    void jobsThatEndTogetherAreEachSettledWithTheirResults() throws Exception {
        int tables = 40;
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < tables; i++) {
            TableId table = TableId.of("together", "t" + i);
            store.tables().upsert(TestData.health(table, store.now(), true));
            jobs.add(service.submit(table, List.of(REWRITE_DATA_FILES, EXPIRE_SNAPSHOTS), false));
        }
        runUntilCompleted(Worker.builder().store(store).executor(executor).config(CONFIG).workerId("batching")
                .slots(8).prefetch(8).pollInterval(Duration.ofMillis(5), Duration.ofMillis(50)).build(), jobs);
        for (Job job : jobs) {
            Job done = service.get(job.jobId());
            assertThat(done.results()).extracting(ActionResult::action).containsExactly(REWRITE_DATA_FILES,
                    EXPIRE_SNAPSHOTS);
            assertThat(done.attempts()).isEqualTo(1);
            assertThat(store.locks().current(job.table().key())).isEmpty();
        }
        assertThat(store.queue().readyDepth()).isZero();
        assertThat(executor.commits()).hasSize(2 * tables);
        assertThat(executor.mostAtOnce()).as("actions running at once with 8 slots").isBetween(1, 8);
    }

    /**
     * {@code close()} while a claim is in flight: the claimed job goes back to the queue unstarted at once, instead
     * of being refused by a job pool already shut down and left claimed until the sweeper's stale threshold.
     */
    @Test
    void closingWhileAClaimIsInFlightHandsTheClaimedJobBackAtOnce() throws Exception {
        Job job = submit(OFFERS);
        FaultyStore database = new FaultyStore(store);
        database.holdClaims();
        Worker worker = pool(database, "closing", 1);
        worker.start();
        database.awaitHeldClaim();

        Thread closer = new Thread(worker::close, "closer");
        closer.start();
        while (closer.getState() != Thread.State.TIMED_WAITING && closer.isAlive()) {
            Thread.onSpinWait(); // close() now waits for the claimer (or, before the fix, for it after the pool)
        }
        database.releaseClaims();
        closer.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(closer.isAlive()).as("close() returned").isFalse();
        assertThat(service.get(job.jobId()).status()).isEqualTo(JobStatus.PENDING);
        assertThat(store.queue().entry(job.jobId()).orElseThrow().isClaimed()).as("claimed after close").isFalse();
        assertThat(executor.commits()).isEmpty();
        assertThat(worker("next").runOnce()).isEqualTo(JobOutcome.COMPLETED);
    }

    /**
     * A claim still in flight when {@code close()} stops waiting for it (past the shutdown timeout) hands its job
     * back as soon as it returns, instead of killing the claimer on the closed heartbeat timer and leaving the job
     * claimed until the sweeper's stale threshold.
     */
    @Test
    void aClaimThatOutlivesTheShutdownTimeoutHandsItsJobBackWhenItReturns() throws Exception {
        Job job = submit(OFFERS);
        FaultyStore database = new FaultyStore(store);
        database.holdClaims();
        Worker worker = Worker.builder().store(database).executor(executor).config(CONFIG).workerId("late-claim")
                .pollInterval(Duration.ofMillis(5), Duration.ofMillis(50)).shutdownTimeout(Duration.ofMillis(50))
                .build();
        worker.start();
        database.awaitHeldClaim();
        worker.close(); // gives up on the claim in flight after the shutdown timeout

        database.releaseClaims();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.queue().entry(job.jobId()).map(QueueEntry::isClaimed).orElse(true)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(store.queue().entry(job.jobId()).orElseThrow().isClaimed()).as("claimed after close").isFalse();
        awaitStatus(job.jobId(), JobStatus.PENDING);
        assertThat(executor.commits()).isEmpty();
        assertThat(worker("next").runOnce()).isEqualTo(JobOutcome.COMPLETED);
    }

    @Test
    void closingARunOnceWorkerHandsItsJobBack() throws Exception {
        executor.hold(OFFERS);
        Job job = submit(OFFERS);
        Worker worker = worker("once");
        CompletableFuture<JobOutcome> outcome = CompletableFuture.supplyAsync(worker::runOnce);
        executor.awaitArrival(OFFERS);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(worker::close);
        Thread.sleep(50);
        executor.open(OFFERS);
        closing.get(30, TimeUnit.SECONDS);

        assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(JobOutcome.HANDED_BACK);
        assertThat(service.get(job.jobId()).status()).isEqualTo(JobStatus.PENDING);
        assertThat(executor.commits()).isEmpty();
        assertThat(worker.runOnce()).as("a closed worker claims nothing").isEqualTo(JobOutcome.IDLE);
        assertThat(store.queue().readyDepth()).isEqualTo(1);
    }

    /**
     * A timer heartbeat that fires while a job settles must neither block the settle nor be blocked by it forever
     * (it once waited for the queue row the settling transaction had locked, while that transaction waited for the
     * heartbeat's monitor: the job's row stayed locked and invisible to every claimer).
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void heartbeatsRacingTheSettleNeverWedgeAJob() throws Exception {
        SnowpackConfig racy = CONFIG.toBuilder().heartbeatInterval(Duration.ofMillis(1)).build();
        ScriptedExecutor quick = new ScriptedExecutor();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            TableId table = TableId.of("racy", "t" + i);
            store.tables().upsert(TestData.health(table, store.now(), true));
            jobs.add(service.submit(table, List.of(REWRITE_DATA_FILES), false));
        }
        List<Worker> pool = List.of(1, 2).stream().map(n -> Worker.builder().store(store).executor(quick)
                .config(racy).workerId("racy-" + n).slots(4).pollInterval(Duration.ofMillis(5), Duration.ofMillis(20))
                .shutdownTimeout(Duration.ofSeconds(10)).build()).toList();
        pool.forEach(Worker::start);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (store.jobs().list(JobQuery.all().withStatus(JobStatus.COMPLETED).withLimit(100)).size()
                    < jobs.size() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            pool.forEach(Worker::close);
        }
        assertThat(jobs).allSatisfy(job -> assertThat(service.get(job.jobId()).status())
                .isEqualTo(JobStatus.COMPLETED));
    }
}
