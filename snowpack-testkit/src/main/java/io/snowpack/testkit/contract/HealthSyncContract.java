package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.health.HealthSync;
import io.snowpack.core.health.SyncReport;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.TableCache;
import io.snowpack.testkit.FakeTableSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What health sync does over every backend's table cache. */
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
