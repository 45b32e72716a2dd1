package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.health.HealthSync;
import io.snowpack.core.health.HealthSyncLag;
import io.snowpack.core.health.SyncReport;
import io.snowpack.core.leader.LeaderElection;
import io.snowpack.core.leader.Leadership;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.TableCache;
import io.snowpack.testkit.FakeTableSource;
import io.snowpack.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What health sync does over every backend's table cache: passes, failures, one process at a time through the
 * {@code health_sync} lead, databases overlapping on one pool, passes spaced by the interval, and the shared lag.
 */
public abstract class HealthSyncContract extends StoreContractSupport {
    private static final TableId SALES_T0 = TableId.of("sales", "t0");
    private static final TableId SALES_T1 = TableId.of("sales", "t1");

    private TableCache cache;
    private FakeTableSource source;
    private SimpleMeterRegistry registry;

    @BeforeEach
    void createSource() {
        cache = store.tables();
        source = new FakeTableSource(clock).withTables("sales", 3).withTables("ops", 2);
        registry = new SimpleMeterRegistry();
    }

    private HealthSync sync(SnowpackConfig config) {
        return HealthSync.builder().store(store).source(source).config(config).meterRegistry(registry).build();
    }

    private HealthSync sync() {
        return sync(SnowpackConfig.defaults());
    }

    @Test
    void syncsEveryTableOfEveryDatabaseWhenNoneIsConfigured() {
        SyncReport report = sync().runOnce();

        assertThat(report.databases()).containsExactly("ops", "sales");
        assertThat(report.tablesSynced()).isEqualTo(5);
        assertThat(report.tablesFailed()).isZero();
        assertThat(report.tablesRemoved()).isZero();
        assertThat(report.clean()).isTrue();
        assertThat(cache.tableIds("sales")).containsExactlyInAnyOrder(SALES_T0, SALES_T1, TableId.of("sales", "t2"));
        assertThat(cache.tableIds("ops")).hasSize(2);
        assertThat(cache.get(SALES_T0)).map(TableHealth::syncedAt).contains(clock.now());
    }

    @Test
    void recordsLastSyncedOnTheCache() {
        assertThat(cache.status().lastSynced()).isEmpty();

        SyncReport report = sync().runOnce();

        assertThat(report.syncedAt()).contains(clock.now());
        assertThat(cache.status().lastSynced()).contains(clock.now());
        assertThat(cache.status().tableCount()).isEqualTo(5);
    }

    @Test
    void syncsOnlyTheConfiguredDatabases() {
        SnowpackConfig config = SnowpackConfig.builder().healthSyncDatabases(List.of("sales")).build();

        SyncReport report = sync(config).runOnce();

        assertThat(report.databases()).containsExactly("sales");
        assertThat(report.tablesSynced()).isEqualTo(3);
        assertThat(source.listedDatabases()).containsExactly("sales");
        assertThat(cache.tableIds("ops")).isEmpty();
    }

    @Test
    void configuredDatabasesLeaveOtherCachedDatabasesAlone() {
        sync().runOnce();
        SnowpackConfig config = SnowpackConfig.builder().healthSyncDatabases(List.of("sales")).build();

        SyncReport report = sync(config).runOnce();

        assertThat(report.tablesRemoved()).isZero();
        assertThat(cache.tableIds("ops")).hasSize(2);
    }

    @Test
    void removesTablesTheSourceNoLongerLists() {
        HealthSync sync = sync();
        sync.runOnce();
        source.drop(SALES_T1);

        SyncReport report = sync.runOnce();

        assertThat(report.tablesRemoved()).isEqualTo(1);
        assertThat(report.tablesSynced()).isEqualTo(4);
        assertThat(cache.get(SALES_T1)).isEmpty();
        assertThat(cache.tableIds("sales")).containsExactlyInAnyOrder(SALES_T0, TableId.of("sales", "t2"));
    }

    @Test
    void removesTheTablesOfADroppedDatabaseWhenSyncingEveryDatabase() {
        HealthSync sync = sync();
        sync.runOnce();
        source.dropDatabase("ops");

        SyncReport report = sync.runOnce();

        assertThat(report.tablesRemoved()).isEqualTo(2);
        assertThat(cache.tableIds("ops")).isEmpty();
        assertThat(cache.tableIds("sales")).hasSize(3);
    }

    @Test
    void aFailingTableIsReportedKeepsItsCachedRowAndDoesNotStopTheOthers() {
        HealthSync sync = sync();
        sync.runOnce();
        TableHealth before = cache.get(SALES_T1).orElseThrow();
        source.failTable(SALES_T1);
        source.nextGeneration();
        clock.advance(Duration.ofMinutes(15));

        SyncReport report = sync.runOnce();

        assertThat(report.tablesSynced()).isEqualTo(4);
        assertThat(report.tablesFailed()).isEqualTo(1);
        assertThat(report.tablesRemoved()).isZero();
        assertThat(report.clean()).isFalse();
        assertThat(report.tableFailures()).singleElement().satisfies(failure -> {
            assertThat(failure.table()).isEqualTo(SALES_T1);
            assertThat(failure.message()).contains("corrupt metadata of sales.t1");
        });
        assertThat(cache.get(SALES_T1)).contains(before);
        assertThat(cache.get(SALES_T0)).map(TableHealth::dataFiles).contains(2L);
        assertThat(report.syncedAt()).contains(clock.now());
    }

    @Test
    void aDatabaseWhoseListingFailsIsReportedAndKeepsItsCachedTables() {
        HealthSync sync = sync();
        sync.runOnce();
        source.failListing("sales");
        source.drop(SALES_T0);

        SyncReport report = sync.runOnce();

        assertThat(report.databaseFailures()).singleElement().satisfies(failure -> {
            assertThat(failure.database()).isEqualTo("sales");
            assertThat(failure.message()).contains("cannot list sales");
        });
        assertThat(report.tablesSynced()).isEqualTo(2);
        assertThat(report.tablesRemoved()).isZero();
        assertThat(cache.tableIds("sales")).hasSize(3);
        assertThat(report.syncedAt()).isPresent();
    }

    @Test
    void whenTheCatalogCannotBeListedNothingIsRemovedAndNoSyncIsRecorded() {
        HealthSync sync = sync();
        sync.runOnce();
        clock.advance(Duration.ofMinutes(15));
        source.failCatalog();

        SyncReport report = sync.runOnce();

        assertThat(report.databaseFailures()).singleElement()
                .satisfies(failure -> assertThat(failure.database()).isEqualTo("*"));
        assertThat(report.syncedAt()).isEmpty();
        assertThat(cache.status().tableCount()).isEqualTo(5);
        assertThat(cache.status().lastSynced()).contains(clock.now().minus(Duration.ofMinutes(15)));
    }

    @Test
    void neverHasMoreTablesInFlightThanTheConcurrencyLimit() {
        source.withTables("big", 30);
        source.slowHealth(Duration.ofMillis(15));
        SnowpackConfig config = SnowpackConfig.builder().healthSyncDatabases(List.of("big"))
                .healthSyncConcurrency(3).build();

        SyncReport report = sync(config).runOnce();

        assertThat(report.tablesSynced()).isEqualTo(30);
        assertThat(source.maxInFlight()).isEqualTo(3);
    }

    @Test
    void countsOutcomesInMetrics() {
        HealthSync sync = sync();
        sync.runOnce();
        source.drop(SALES_T0);
        source.failTable(SALES_T1);
        clock.advance(Duration.ofMinutes(15));

        sync.runOnce();

        assertThat(tables("synced")).isEqualTo(5 + 3);
        assertThat(tables("failed")).isEqualTo(1);
        assertThat(tables("removed")).isEqualTo(1);
        assertThat(registry.get("snowpack.health_sync.duration").timer().count()).isEqualTo(2);
        assertThat(registry.get("snowpack.health_sync.last_success").gauge().value())
                .isEqualTo(clock.now().getEpochSecond());
    }

    private double tables(String outcome) {
        return registry.get("snowpack.health_sync.tables").tag("outcome", outcome).counter().count();
    }

    @Test
    void startIsANoOpWhenTheIntervalIsZero() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        try (HealthSync sync = sync(SnowpackConfig.builder().healthSyncInterval(Duration.ZERO).build())) {
            sync.start(scheduler);

            assertThat(scheduler.getQueue()).isEmpty();
            assertThat(scheduler.getTaskCount()).isZero();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void startSchedulesPassesUntilClosed() throws Exception {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            HealthSync sync = sync(SnowpackConfig.builder().healthSyncInterval(Duration.ofHours(1)).build());
            sync.start(scheduler);
            assertThatThrownBy(() -> sync.start(scheduler)).isInstanceOf(IllegalStateException.class);

            // The first pass runs at once; wait for it on the scheduler's single thread.
            scheduler.submit(() -> { }).get();
            while (cache.status().lastSynced().isEmpty()) {
                scheduler.submit(() -> { }).get();
            }
            assertThat(cache.status().tableCount()).isEqualTo(5);

            sync.close();
            assertThat(scheduler.getQueue()).isEmpty();
            sync.close();
        } finally {
            scheduler.shutdownNow();
        }
    }

    // ---- one process at a time (issue 17) ----

    private static final Duration LEASE_TTL = Duration.ofSeconds(60);

    private LeaderElection election(String holder) {
        return LeaderElection.builder().elector(store.leaders()).lockKey(HealthSync.LOCK_KEY).holderId(holder)
                .ttl(LEASE_TTL).clock(clock).build();
    }

    private HealthSync led(Leadership leader) {
        return HealthSync.builder().store(store).source(source).leader(leader).meterRegistry(registry).build();
    }

    @Test
    void twoInstancesOnOneStoreSyncOneAtATimeAndTheOtherTakesOverWhenTheFirstStops() {
        LeaderElection first = election("api-1");
        LeaderElection second = election("api-2");
        assertThat(first.tick()).isTrue();
        assertThat(second.tick()).isFalse();
        HealthSync syncing = led(first);
        HealthSync standby = led(second);

        assertThat(syncing.runOnce().outcome()).isEqualTo(SyncReport.Outcome.COMPLETED);
        int callsByTheLeader = source.healthCalls();
        SyncReport idle = standby.runOnce();

        assertThat(idle.outcome()).isEqualTo(SyncReport.Outcome.NOT_LEADER);
        assertThat(idle.tablesSynced()).isZero();
        assertThat(idle.syncedAt()).isEmpty();
        assertThat(source.healthCalls()).as("the standby measured nothing").isEqualTo(callsByTheLeader);
        assertThat(standby.runIfDue()).isEmpty();
        assertThat(cache.status().tableCount()).as("the standby serves the shared cache").isEqualTo(5);

        first.close(); // a graceful stop releases the lead
        advance(Duration.ofMinutes(15));
        assertThat(second.tick()).isTrue();
        SyncReport takenOver = standby.runOnce();

        assertThat(takenOver.outcome()).isEqualTo(SyncReport.Outcome.COMPLETED);
        assertThat(takenOver.tablesSynced()).isEqualTo(5);
        assertThat(cache.status().lastSynced()).contains(clock.now());
        assertThat(syncing.runOnce().outcome()).isEqualTo(SyncReport.Outcome.NOT_LEADER);
        second.close();
    }

    @Test
    void aLeaderThatDiesIsReplacedOnceItsLeaseLapses() {
        LeaderElection crashed = election("api-1");
        LeaderElection successor = election("api-2");
        assertThat(crashed.tick()).isTrue();
        led(crashed).runOnce();

        assertThat(successor.tick()).isFalse();
        advance(LEASE_TTL.plusSeconds(1)); // api-1 stopped renewing without releasing
        assertThat(successor.tick()).isTrue();
        SyncReport report = led(successor).runOnce();

        assertThat(report.outcome()).isEqualTo(SyncReport.Outcome.COMPLETED);
        assertThat(cache.status().lastSynced()).contains(clock.now());
        assertThat(store.leaders().current(HealthSync.LOCK_KEY).orElseThrow().holder()).isEqualTo("api-2");
    }

    @Test
    void leadershipLostMidPassStartsNoFurtherTableRemovesNothingAndRecordsNoSync() {
        TableId vanished = TableId.of("ops", "gone");
        cache.upsert(TableHealth.builder(vanished).syncedAt(clock.now()).build());
        AtomicBoolean leads = new AtomicBoolean(true);
        source.onHealth(table -> {
            if (source.healthCalls() == 2) {
                leads.set(false); // the lease lapses while the second table is measured
            }
        });
        SnowpackConfig oneAtATime = SnowpackConfig.builder().healthSyncConcurrency(1).build();

        SyncReport report = HealthSync.builder().store(store).source(source).config(oneAtATime)
                .leader(Leadership.unfenced(leads::get, "api-1")).meterRegistry(registry).build().runOnce();

        assertThat(report.outcome()).isEqualTo(SyncReport.Outcome.LEADERSHIP_LOST);
        assertThat(source.healthCalls()).as("no table is started once the lead is lost").isEqualTo(2);
        assertThat(report.tablesSynced()).isEqualTo(2);
        assertThat(report.tablesRemoved()).isZero();
        assertThat(report.syncedAt()).isEmpty();
        assertThat(report.clean()).isFalse();
        assertThat(cache.get(vanished)).as("a stopped pass removes nothing").isPresent();
        assertThat(cache.status().lastSynced()).isEmpty();
        assertThat(registry.get("snowpack.health_sync.passes").tag("outcome", "leadership_lost").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aLeaderDeposedSinceItLookedRecordsNoSync() {
        LeaderElection deposed = LeaderElection.builder().elector(store.leaders()).lockKey(HealthSync.LOCK_KEY)
                .holderId("api-1").ttl(LEASE_TTL).clock(new SettableClock()).build();
        assertThat(deposed.tick()).isTrue();
        advance(LEASE_TTL);
        assertThat(election("api-2").tick()).isTrue();
        assertThat(deposed.isLeader()).as("stalled, it has not noticed").isTrue();

        SyncReport report = led(deposed).runOnce();

        assertThat(report.syncedAt()).isEmpty();
        assertThat(report.outcome()).isEqualTo(SyncReport.Outcome.LEADERSHIP_LOST);
        assertThat(cache.status().lastSynced()).isEmpty();
        assertThat(deposed.isLeader()).as("the refused write told it").isFalse();
    }

    @Test
    void databasesOverlapWithoutABarrierBetweenThem() {
        source = new FakeTableSource(clock).withTables("a_slow", 1).withTables("b_fast", 3);
        TableId slow = TableId.of("a_slow", "t0");
        TableId lastFast = TableId.of("b_fast", "t2");
        AtomicBoolean overlapped = new AtomicBoolean();
        source.onHealth(table -> {
            if (table.equals(slow)) {
                // Held back until the next database's tables are synced: a per-database barrier never gets there.
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (cache.get(lastFast).isEmpty() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                overlapped.set(cache.get(lastFast).isPresent());
            }
        });
        SnowpackConfig config = SnowpackConfig.builder().healthSyncConcurrency(2).build();

        SyncReport report = sync(config).runOnce();

        assertThat(overlapped).as("b_fast synced while a_slow's table was still being measured").isTrue();
        assertThat(report.clean()).isTrue();
        assertThat(report.databases()).containsExactly("a_slow", "b_fast");
        assertThat(report.tablesSynced()).isEqualTo(4);
    }

    @Test
    void droppedTablesAreRemovedPerDatabaseWhileDatabasesOverlap() {
        source = new FakeTableSource(clock).withTables("a", 20).withTables("b", 20).withTables("c", 20);
        source.slowHealth(Duration.ofMillis(1));
        SnowpackConfig config = SnowpackConfig.builder().healthSyncConcurrency(4).build();
        HealthSync sync = sync(config);
        sync.runOnce();
        source.drop(TableId.of("a", "t3"));
        source.drop(TableId.of("c", "t19"));
        source.dropDatabase("b");

        SyncReport report = sync.runOnce();

        assertThat(report.tablesRemoved()).isEqualTo(22);
        assertThat(report.tablesSynced()).isEqualTo(38);
        assertThat(cache.tableIds("a")).hasSize(19).doesNotContain(TableId.of("a", "t3"));
        assertThat(cache.tableIds("b")).isEmpty();
        assertThat(cache.tableIds("c")).hasSize(19);
        assertThat(cache.status().tableCount()).isEqualTo(38);
    }

    @Test
    void runIfDueSpacesPassesByTheIntervalFromTheLastRecordedSyncWhoeverMadeIt() {
        SnowpackConfig config = SnowpackConfig.builder().healthSyncInterval(Duration.ofMinutes(15)).build();
        HealthSync first = sync(config);
        HealthSync successor = sync(config);

        assertThat(first.runIfDue()).as("never synced: due at once").isPresent();
        advance(Duration.ofMinutes(14));
        assertThat(successor.runIfDue()).as("a new leader waits for the interval of the last pass").isEmpty();
        advance(Duration.ofMinutes(1));
        assertThat(successor.runIfDue()).isPresent();
        assertThat(cache.status().lastSynced()).contains(clock.now());
    }

    @Test
    void aPassThatRecordsNoSyncIsNotRetriedBeforeTheInterval() {
        SnowpackConfig config = SnowpackConfig.builder().healthSyncInterval(Duration.ofMinutes(15)).build();
        HealthSync sync = sync(config);
        source.failCatalog();

        assertThat(sync.runIfDue()).hasValueSatisfying(report -> assertThat(report.syncedAt()).isEmpty());
        advance(Duration.ofMinutes(1));
        assertThat(sync.runIfDue()).as("a dead catalog is not hammered every minute").isEmpty();
        advance(Duration.ofMinutes(14));
        assertThat(sync.runIfDue()).isPresent();
    }

    @Test
    void aRunningPassIsMarkedInTheSharedStoreFromItsStartUntilItEnds() {
        List<Optional<Lease>> seenDuringThePass = new CopyOnWriteArrayList<>();
        Instant started = clock.now();
        source.onHealth(table -> {
            seenDuringThePass.add(store.leaders().current(HealthSync.PASS_KEY));
            clock.advance(Duration.ofSeconds(1));
        });

        led(Leadership.always("api-3")).runOnce();

        assertThat(seenDuringThePass).hasSize(5).allSatisfy(marker -> assertThat(marker).hasValueSatisfying(lease -> {
            assertThat(lease.holder()).isEqualTo("api-3");
            assertThat(lease.acquiredAt()).isEqualTo(started);
        }));
        assertThat(store.leaders().current(HealthSync.PASS_KEY)).as("released when the pass ends").isEmpty();
    }

    @Test
    void lagGaugeReadsTheSharedCacheStatus() {
        SimpleMeterRegistry replica = new SimpleMeterRegistry();
        HealthSyncLag.register(replica, store);
        assertThat(replica.get(HealthSyncLag.METER).gauge().value()).as("before the first pass").isNaN();

        sync().runOnce();
        advance(Duration.ofSeconds(90));

        assertThat(replica.get(HealthSyncLag.METER).gauge().value()).isEqualTo(90.0);
        assertThat(cache.status().lag(store.now())).contains(Duration.ofSeconds(90));
    }

    @Test
    void builderRequiresStoreAndSource() {
        assertThatThrownBy(() -> HealthSync.builder().source(source).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("store");
        assertThatThrownBy(() -> HealthSync.builder().store(store).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("source");
        try (HealthSync sync = HealthSync.builder().store(store).source(source).build()) {
            assertThat(sync.runOnce().tablesSynced()).isEqualTo(5);
        }
    }
}
