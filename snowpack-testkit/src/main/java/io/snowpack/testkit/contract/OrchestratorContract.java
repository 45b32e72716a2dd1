package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.leader.LeaderElection;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.OrchestratorRun;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.orchestrator.Orchestrator;
import io.snowpack.core.policy.MaintenancePlan;
import io.snowpack.core.policy.MaintenancePolicy;
import io.snowpack.core.policy.SkipReason;
import io.snowpack.core.policy.TableProperties;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.Clock;
import io.snowpack.core.spi.JobTransition;
import io.snowpack.core.sweeper.Sweeper;
import io.snowpack.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the orchestrator does on every backend: which tables it submits, skips and records, and when it runs. */
public abstract class OrchestratorContract extends StoreContractSupport {
    private static final TableId ORDERS = TableId.parse("sales.orders");
    private static final TableId HEALTHY = TableId.parse("sales.refunds");
    private static final TableId CLICKS = TableId.parse("sales.clicks");
    private static final TableId SKIPPED = TableId.parse("sales.archive");
    private static final TableId BUSY = TableId.parse("sales.offers");
    private static final TableId ELSEWHERE = TableId.parse("hr.payroll");
    private static final Duration LEASE_TTL = Duration.ofSeconds(60);
    private static final SnowpackConfig CONFIG =
            SnowpackConfig.builder().orchestratorIncludeDatabases(List.of("sales")).build();

    private MaintenanceService service;
    private SimpleMeterRegistry registry;

    @BeforeEach
    void seedSyncedTables() {
        seedTables();
        store.tables().markSynced();
    }

    /** The tables every test starts with, as a health sync would have cached them (without recording the sync). */
    private void seedTables() {
        service = MaintenanceService.builder().store(store).config(CONFIG).build();
        registry = new SimpleMeterRegistry();
        cache(ORDERS, true, 800, Map.of());
        cache(HEALTHY, true, 0, Map.of());
        cache(CLICKS, false, 800, Map.of());
        cache(SKIPPED, true, 800, Map.of(TableProperties.COMPACTION_SKIP, "true"));
        cache(BUSY, true, 800, Map.of());
        cache(ELSEWHERE, true, 800, Map.of());
    }

    /** A table with {@code smallFiles} small files, one fresh snapshot and one manifest. */
    private void cache(TableId table, boolean optedIn, int smallFiles, Map<String, String> properties) {
        TableHealth.Builder health = TableHealth.builder(table).dataFiles(1000).smallFiles(smallFiles).snapshots(1)
                .oldestSnapshotAt(store.now().minus(Duration.ofHours(1))).dataManifests(1).syncedAt(store.now())
                .properties(properties);
        if (optedIn) {
            health.property(TableProperties.MAINTENANCE_ENABLED, "true");
        }
        store.tables().upsert(health.build());
    }

    private Orchestrator orchestrator() {
        return Orchestrator.builder().store(store).config(CONFIG).leader(() -> true, "api-1").meterRegistry(registry)
                .build();
    }

    private List<Job> jobsOf(TableId table) {
        return store.jobs().list(JobQuery.all().withTable(table));
    }

    /** Runs the job the way a worker does: claim, run, complete, release. */
    private void complete(Job job) {
        List<Claim> claims = store.queue().claim("worker-1", 10);
        claims.stream().filter(other -> !other.jobId().equals(job.jobId())).forEach(store.queue()::release);
        Claim claim = claims.stream().filter(mine -> mine.jobId().equals(job.jobId())).findFirst().orElseThrow();
        store.inTransaction(stores -> {
            stores.jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.running(claim.attempts()));
            stores.jobs().transition(job.jobId(), JobStatus.RUNNING, JobTransition.completed());
            stores.queue().complete(claim);
            return stores.locks().releaseIfHeldBy(job.table().key(), job.jobId().value());
        });
    }

    @Test
    void submitsWhatThePolicyPlansAndRecordsEveryOutcome() {
        Job manual = service.submit(BUSY, List.of(MaintenanceAction.EXPIRE_SNAPSHOTS), false);

        OrchestratorRun run = orchestrator().runOnce().orElseThrow();

        Job submitted = jobsOf(ORDERS).get(0);
        assertThat(submitted.trigger()).isEqualTo(JobTrigger.ORCHESTRATOR);
        assertThat(submitted.actions()).containsExactly(MaintenanceAction.REWRITE_DATA_FILES);
        assertThat(submitted.status()).isEqualTo(JobStatus.PENDING);
        assertThat(jobsOf(BUSY)).containsExactly(service.get(manual.jobId()));
        assertThat(jobsOf(HEALTHY)).isEmpty();
        assertThat(jobsOf(CLICKS)).isEmpty();
        assertThat(jobsOf(SKIPPED)).isEmpty();
        assertThat(jobsOf(ELSEWHERE)).as("hr is not in include_databases").isEmpty();

        assertThat(run.runId()).isPositive();
        assertThat(run.leader()).isEqualTo("api-1");
        assertThat(run.tablesAssessed()).isEqualTo(5);
        assertThat(run.jobsSubmitted()).isEqualTo(1);
        assertThat(run.tablesHealthy()).isEqualTo(1);
        assertThat(run.tablesSkipped()).isEqualTo(3);
        assertThat(run.tablesFailed()).isZero();
        assertThat(run.skippedByReason()).containsExactly(Map.entry("compaction_skip", 1),
                Map.entry(OrchestratorRun.IN_PROGRESS, 1), Map.entry("not_opted_in", 1));
        assertThat(run.error()).isNull();
        assertThat(store.orchestratorRuns().recent(5)).containsExactly(run);
        assertThat(service.orchestratorRuns(5)).containsExactly(run);

        assertThat(registry.get("snowpack.orchestrator.tick.duration").timer().count()).isEqualTo(1);
        assertThat(registry.get("snowpack.orchestrator.tables").tag("outcome", "submitted").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("snowpack.orchestrator.tables").tag("outcome", "skipped_in_progress").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("snowpack.jobs.submitted").tag("trigger", "orchestrator").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("snowpack.lock.conflicts").tag("trigger", "orchestrator").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aTableMaintainedWithinItsCadenceWaitsAndIsDueAgainAfterIt() {
        Orchestrator orchestrator = orchestrator();
        orchestrator.runOnce();
        complete(jobsOf(ORDERS).get(0));

        // The leader's sweeper keeps the still-waiting offers job's table lock alive meanwhile.
        Sweeper sweeper = Sweeper.builder().store(store).config(CONFIG).build();
        advance(Duration.ofHours(5));
        sweeper.runOnce();
        OrchestratorRun early = orchestrator.runOnce().orElseThrow();
        advance(Duration.ofHours(1));
        sweeper.runOnce();
        OrchestratorRun due = orchestrator.runOnce().orElseThrow();

        assertThat(early.skippedByReason()).containsEntry(SkipReason.WITHIN_CADENCE.wireName(), 1)
                .containsEntry(OrchestratorRun.IN_PROGRESS, 1);
        assertThat(early.jobsSubmitted()).as("%s", early).isZero();
        assertThat(due.jobsSubmitted()).isEqualTo(1);
        assertThat(jobsOf(ORDERS)).hasSize(2);
    }

    @Test
    void aTableGoneFromTheCacheIsNotAssessedAndHasNoPlan() {
        store.tables().remove(ORDERS);

        OrchestratorRun run = orchestrator().runOnce().orElseThrow();

        assertThat(run.tablesAssessed()).isEqualTo(4);
        assertThatThrownBy(() -> service.plan(ORDERS)).isInstanceOf(TableNotFoundException.class)
                .hasMessageContaining("sales.orders");
    }

    @Test
    void nothingRunsOffTheLeaderOrInDrainMode() {
        AtomicBoolean leads = new AtomicBoolean(false);
        Orchestrator orchestrator = Orchestrator.builder().store(store).config(CONFIG).leader(leads::get, "api-2")
                .build();

        assertThat(orchestrator.runOnce()).isEmpty();
        leads.set(true);
        service.setDrainMode(true);
        assertThat(orchestrator.runOnce()).isEmpty();

        assertThat(store.orchestratorRuns().recent(5)).isEmpty();
        assertThat(jobsOf(ORDERS)).isEmpty();
    }

    /** A leader whose local clock is {@code local}: frozen, it stands for a process that stalled after it looked. */
    private LeaderElection election(String holder, Clock local) {
        return LeaderElection.builder().elector(store.leaders()).holderId(holder).ttl(LEASE_TTL).clock(local).build();
    }

    @Test
    void aLeaderDeposedSinceItLookedSubmitsNothingAndRecordsNoRun() {
        LeaderElection deposed = election("api-1", new SettableClock());
        assertThat(deposed.tick()).isTrue();
        advance(LEASE_TTL);
        LeaderElection successor = election("api-2", clock);
        assertThat(successor.tick()).isTrue();
        assertThat(deposed.isLeader()).as("stalled, it has not noticed").isTrue();

        Optional<OrchestratorRun> stale = Orchestrator.builder().store(store).config(CONFIG).leader(deposed).build()
                .runOnce();

        assertThat(stale).isEmpty();
        assertThat(jobsOf(ORDERS)).isEmpty();
        assertThat(store.orchestratorRuns().recent(5)).isEmpty();
        assertThat(deposed.isLeader()).as("the refused write told it").isFalse();
        OrchestratorRun run = Orchestrator.builder().store(store).config(CONFIG).leader(successor).build().runOnce()
                .orElseThrow();
        assertThat(run.leader()).isEqualTo("api-2");
        assertThat(run.jobsSubmitted()).isEqualTo(2); // orders and offers
        assertThat(jobsOf(ORDERS)).hasSize(1);
    }

    @Test
    void aLeaderWhoseLeaseRunsOutMidRunStopsBeforeTheNextTable() {
        SettableClock local = new SettableClock();
        LeaderElection leader = election("api-1", local);
        assertThat(leader.tick()).isTrue();
        AtomicInteger planned = new AtomicInteger();
        MaintenancePolicy standard = MaintenancePolicy.standard(CONFIG);
        MaintenancePolicy slow = new MaintenancePolicy() {
            @Override
            public MaintenancePlan plan(TableHealth health, Optional<Instant> lastMaintained, Instant now) {
                planned.incrementAndGet();
                local.advance(LEASE_TTL); // this table took longer than the lease: no renewal ran meanwhile
                return standard.plan(health, lastMaintained, now);
            }

            @Override
            public List<String> thresholdsCrossed(TableHealth health, Instant now) {
                return standard.thresholdsCrossed(health, now);
            }
        };

        Optional<OrchestratorRun> run = Orchestrator.builder().store(store).config(CONFIG).policy(slow)
                .leader(leader).build().runOnce();

        assertThat(run).isEmpty();
        assertThat(planned).as("no table is planned once the lease is no longer trusted").hasValue(1);
        assertThat(store.jobs().list(JobQuery.all())).isEmpty();
        assertThat(store.orchestratorRuns().recent(5)).isEmpty();
    }

    @Test
    void runsAreSpacedByTheIntervalFromTheLastRecordedRunWhoeverMadeIt() {
        SnowpackConfig hourly = CONFIG.toBuilder().orchestratorInterval(Duration.ofHours(1)).build();
        Orchestrator first = Orchestrator.builder().store(store).config(hourly).leader(() -> true, "api-1").build();
        Orchestrator successor = Orchestrator.builder().store(store).config(hourly).leader(() -> true, "api-2")
                .build();

        assertThat(first.runIfDue()).isPresent();
        advance(Duration.ofMinutes(59));
        assertThat(successor.runIfDue()).as("a new leader waits for the interval of the old one's run").isEmpty();
        advance(Duration.ofMinutes(1));
        Optional<OrchestratorRun> run = successor.runIfDue();

        assertThat(run).isPresent();
        assertThat(run.get().leader()).isEqualTo("api-2");
        assertThat(store.orchestratorRuns().recent(5)).hasSize(2);
    }

    @Test
    void onANeverSyncedCacheItWaitsForTheFirstHealthSyncWithoutRecordingARunThenRunsAtOnce() {
        store.close();
        store = createStore(clock);
        seedTables(); // a first health-sync pass under way: tables cached, no last_synced yet
        SnowpackConfig config = CONFIG.toBuilder().orchestratorInterval(Duration.ofHours(2)).build();
        Orchestrator orchestrator = Orchestrator.builder().store(store).config(config).leader(() -> true, "api-1")
                .meterRegistry(registry).build();

        assertThat(orchestrator.runIfDue()).isEmpty();
        assertThat(orchestrator.runOnce()).isEmpty();
        assertThat(store.orchestratorRuns().recent(5)).as("no 0-table run pushes the first real one out").isEmpty();
        assertThat(jobsOf(ORDERS)).isEmpty();
        assertThat(registry.get("snowpack.orchestrator.first_sync_waits").counter().count()).isEqualTo(2);

        advance(Duration.ofMinutes(1));
        store.tables().markSynced();
        Optional<OrchestratorRun> run = orchestrator.runIfDue();

        assertThat(run).as("due as soon as the cache is synced, not an interval later").isPresent();
        assertThat(run.get().tablesAssessed()).isEqualTo(5);
        assertThat(run.get().jobsSubmitted()).isEqualTo(2);
        assertThat(store.orchestratorRuns().recent(5)).hasSize(1);
    }

    @Test
    void withHealthSyncOffItDoesNotWaitForASync() {
        store.close();
        store = createStore(clock);
        seedTables(); // the host fills the cache itself and never records a sync
        SnowpackConfig noSync = CONFIG.toBuilder().healthSyncInterval(Duration.ZERO).build();

        Optional<OrchestratorRun> run = Orchestrator.builder().store(store).config(noSync)
                .leader(() -> true, "api-1").build().runIfDue();

        assertThat(run).isPresent();
        assertThat(run.get().tablesAssessed()).isEqualTo(5);
    }

    @Test
    void startRunsPromptlyOnceTheFirstHealthSyncCompletes() throws Exception {
        store.close();
        store = createStore(clock);
        seedTables();
        SnowpackConfig config = CONFIG.toBuilder().orchestratorInterval(Duration.ofMillis(20)).build();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Orchestrator orchestrator = Orchestrator.builder().store(store).config(config)
                .leader(() -> true, "api-1").meterRegistry(registry).build()) {
            orchestrator.start(scheduler);
            while (registry.get("snowpack.orchestrator.first_sync_waits").counter().count() < 2) {
                scheduler.submit(() -> { }).get();
            }
            assertThat(store.orchestratorRuns().recent(5)).isEmpty();

            store.tables().markSynced();
            while (store.orchestratorRuns().recent(1).isEmpty()) {
                scheduler.submit(() -> { }).get();
            }
            assertThat(store.orchestratorRuns().recent(1).get(0).tablesAssessed()).isEqualTo(5);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void thePlanSaysWhyATableIsOrIsNotScheduled() {
        Job manual = service.submit(BUSY, List.of(MaintenanceAction.EXPIRE_SNAPSHOTS), false);

        MaintenancePlan busy = service.plan(BUSY);
        MaintenancePlan clicks = service.plan(CLICKS);

        assertThat(busy.submits()).isTrue();
        assertThat(busy.reasons()).anySatisfy(reason -> assertThat(reason)
                .startsWith("not submitted now: job " + manual.jobId() + " holds the table's lock"));
        assertThat(busy.reasons().get(0)).startsWith("health as of ");
        assertThat(clicks.skippedBy()).containsExactly(SkipReason.NOT_OPTED_IN);
        assertThat(clicks.reasons()).contains("not opted in: snowpack.maintenance_enabled is not true (opt_in mode)");
    }
}
