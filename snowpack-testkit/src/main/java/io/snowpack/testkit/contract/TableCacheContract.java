package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.model.TableQuery;
import io.snowpack.core.spi.CacheStatus;
import io.snowpack.core.spi.TableCache;
import io.snowpack.testkit.TestData;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link TableCache} promises. */
public abstract class TableCacheContract extends StoreContractSupport {
    private static final TableId EVENTS = TableId.parse("demo.events");
    private static final TableId ORDERS = TableId.parse("demo.orders");
    private static final TableId CLICKS = TableId.parse("demo.clicks");
    private static final TableId OFFERS = TableId.parse("offer_service.offers");

    private TableCache tables() {
        return store.tables();
    }

    private TableHealth health(TableId table, boolean enabled) {
        return TestData.health(table, store.now(), enabled);
    }

    @Test
    void upsertThenGetReturnsEveryField() {
        TableHealth health = health(EVENTS, true);

        tables().upsert(health);

        assertThat(tables().get(EVENTS)).contains(health);
        assertThat(tables().get(ORDERS)).isEmpty();
    }

    @Test
    void aMinimalHealthRoundTrips() {
        TableHealth empty = TableHealth.builder(ORDERS).syncedAt(store.now()).build();
        tables().upsert(empty);
        assertThat(tables().get(ORDERS)).contains(empty);
        assertThat(tables().get(ORDERS).orElseThrow().needsMaintenance()).isFalse();
    }

    @Test
    void upsertReplacesTheCurrentHealthAndKeepsHistoryNewestFirst() {
        TableHealth first = health(EVENTS, false);
        advance(Duration.ofMinutes(15));
        TableHealth second = health(EVENTS, true).toBuilder().dataFiles(52).smallFiles(0).reasons(java.util.List.of())
                .build();

        tables().upsert(first);
        tables().upsert(second);

        assertThat(tables().get(EVENTS)).contains(second);
        assertThat(tables().history(EVENTS, 10)).containsExactly(second, first);
        assertThat(tables().history(EVENTS, 1)).containsExactly(second);
        assertThat(tables().status().tableCount()).isEqualTo(1);
    }

    @Test
    void listFiltersByDatabaseAndFlagInNameOrderWithPaging() {
        tables().upsert(health(ORDERS, true));
        tables().upsert(health(OFFERS, true));
        tables().upsert(health(EVENTS, true));
        tables().upsert(health(CLICKS, false));

        assertThat(tables().list(TableQuery.all())).extracting(TableHealth::table)
                .containsExactly(CLICKS, EVENTS, ORDERS, OFFERS);
        assertThat(tables().list(TableQuery.all().withDatabase("demo"))).extracting(TableHealth::table)
                .containsExactly(CLICKS, EVENTS, ORDERS);
        assertThat(tables().list(TableQuery.all().withDatabase("demo").withMaintenanceEnabled(true)))
                .extracting(TableHealth::table).containsExactly(EVENTS, ORDERS);
        assertThat(tables().list(TableQuery.all().withMaintenanceEnabled(false)))
                .extracting(TableHealth::table).containsExactly(CLICKS);
        assertThat(tables().list(TableQuery.all().withPage(1, 2))).extracting(TableHealth::table)
                .containsExactly(EVENTS, ORDERS);
        assertThat(tables().list(TableQuery.all().withPage(4, 2))).isEmpty();
        assertThat(tables().tableIds("demo")).containsExactly(CLICKS, EVENTS, ORDERS);
        assertThat(tables().tableIds("nowhere")).isEmpty();
    }

    @Test
    void removeDropsTheTableButKeepsItsHistory() {
        tables().upsert(health(EVENTS, true));

        assertThat(tables().remove(EVENTS)).isTrue();
        assertThat(tables().remove(EVENTS)).isFalse();

        assertThat(tables().get(EVENTS)).isEmpty();
        assertThat(tables().history(EVENTS, 5)).hasSize(1);
        assertThat(tables().status().tableCount()).isZero();
    }

    @Test
    void statusReportsTheLastSyncAndTheTableCount() {
        assertThat(tables().status()).isEqualTo(new CacheStatus(java.util.Optional.empty(), 0));
        tables().upsert(health(EVENTS, true));
        tables().upsert(health(ORDERS, true));
        advance(Duration.ofSeconds(7));

        Instant synced = tables().markSynced();

        assertThat(synced).isEqualTo(store.now());
        CacheStatus status = tables().status();
        assertThat(status.lastSynced()).contains(synced);
        assertThat(status.tableCount()).isEqualTo(2);
    }

    @Test
    void pruneHistoryDeletesOnlyOldEntries() {
        tables().upsert(health(EVENTS, true));
        advance(Duration.ofDays(91));
        TableHealth recent = health(EVENTS, true);
        tables().upsert(recent);

        assertThat(tables().pruneHistory(Duration.ofDays(90))).isEqualTo(1);

        assertThat(tables().history(EVENTS, 10)).containsExactly(recent);
        assertThat(tables().get(EVENTS)).contains(recent);
    }
}
