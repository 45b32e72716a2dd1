package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.model.TableQuery;
import io.snowpack.core.spi.CacheStatus;
import io.snowpack.core.spi.HealthHistoryRule;
import io.snowpack.core.spi.TableCache;
import io.snowpack.testkit.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
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
    void getAllReturnsEveryCachedTableOfTheListAndSkipsTheOthers() {
        TableHealth events = health(EVENTS, true);
        TableHealth offers = health(OFFERS, false);
        tables().upsert(events);
        tables().upsert(offers);
        tables().upsert(health(CLICKS, true));

        Map<TableId, TableHealth> found = tables().getAll(List.of(OFFERS, ORDERS, EVENTS, OFFERS));

        assertThat(found).containsOnly(Map.entry(OFFERS, offers), Map.entry(EVENTS, events));
        assertThat(tables().getAll(List.of())).isEmpty();
    }

    /** A batch as long as the orchestrator's largest is read whole, however the backend splits it. */
    @Test
    void getAllReadsALongListWhole() {
        List<TableId> named = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            TableId table = TableId.parse("bulk.t" + i);
            named.add(table);
            if (i % 3 != 0) {
                tables().upsert(health(table, true));
            }
        }

        Map<TableId, TableHealth> found = tables().getAll(named);

        assertThat(found).hasSize(800);
        assertThat(found.keySet()).allMatch(table -> Integer.parseInt(table.table().substring(1)) % 3 != 0);
        assertThat(found.get(TableId.parse("bulk.t1"))).isEqualTo(tables().get(TableId.parse("bulk.t1")).orElseThrow());
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
    void keysetPagesWalkEveryTableExactlyOnceInKeyOrder() {
        List<TableId> all = manyTables();

        assertThat(walk(TableQuery.all().withLimit(7))).containsExactlyElementsOf(all);
        assertThat(walk(TableQuery.all().withLimit(TableQuery.MAX_LIMIT))).containsExactlyElementsOf(all);
        assertThat(walk(TableQuery.all().withLimit(all.size()))).containsExactlyElementsOf(all);
    }

    @Test
    void keysetPagesKeepTheirFiltersAcrossPages() {
        List<TableId> all = manyTables();
        TableQuery orders = TableQuery.all().withDatabase("orders").withMaintenanceEnabled(true).withLimit(6);

        List<TableId> walked = walk(orders);

        assertThat(walked).isNotEmpty().containsExactlyElementsOf(all.stream()
                .filter(t -> t.database().equals("orders") && enabled(t)).toList());
        assertThat(walk(TableQuery.all().withMaintenanceEnabled(false).withLimit(9)))
                .containsExactlyElementsOf(all.stream().filter(t -> !enabled(t)).toList());
        assertThat(walk(TableQuery.all().withDatabase("nowhere").withLimit(3))).isEmpty();
    }

    @Test
    void aPageStartsAfterItsKeyEvenWhenThatTableIsGone() {
        tables().upsert(health(CLICKS, true));
        tables().upsert(health(EVENTS, true));
        tables().upsert(health(ORDERS, true));
        tables().upsert(health(OFFERS, true));
        tables().remove(EVENTS);

        assertThat(tables().list(TableQuery.all().after(EVENTS).withLimit(10))).extracting(TableHealth::table)
                .containsExactly(ORDERS, OFFERS);
        assertThat(tables().list(TableQuery.all().after(OFFERS))).isEmpty();
        assertThat(tables().lastKey(TableQuery.all().after(CLICKS).withLimit(1))).contains(ORDERS);
        assertThat(tables().lastKey(TableQuery.all().after(CLICKS).withLimit(2))).contains(OFFERS);
        assertThat(tables().lastKey(TableQuery.all().after(CLICKS).withLimit(3))).isEmpty();
        assertThat(tables().lastKey(TableQuery.all().withPage(1, 2))).contains(OFFERS);
    }

    @Test
    void anUnchangedTableGetsOneHistoryEntryPerIntervalAChangedOneAtOnce() {
        TableHealth first = health(EVENTS, true);
        tables().upsert(first);
        advance(Duration.ofMinutes(15));
        TableHealth unchanged = first.toBuilder().syncedAt(store.now()).build();
        tables().upsert(unchanged);

        assertThat(tables().get(EVENTS)).contains(unchanged);
        assertThat(tables().history(EVENTS, 10)).containsExactly(first);

        advance(Duration.ofMinutes(15));
        TableHealth changed = unchanged.toBuilder().dataFiles(unchanged.dataFiles() + 1).syncedAt(store.now()).build();
        tables().upsert(changed);
        advance(Duration.ofMinutes(15));
        TableHealth propertiesChanged = changed.toBuilder().properties(Map.of()).syncedAt(store.now())
                .build();
        tables().upsert(propertiesChanged);
        assertThat(tables().history(EVENTS, 10)).containsExactly(propertiesChanged, changed, first);

        advance(HealthHistoryRule.DEFAULT_INTERVAL.minusMinutes(1));
        tables().upsert(propertiesChanged.toBuilder().syncedAt(store.now()).build());
        assertThat(tables().history(EVENTS, 10)).hasSize(3);
        advance(Duration.ofMinutes(1));
        TableHealth aDayLater = propertiesChanged.toBuilder().syncedAt(store.now()).build();
        tables().upsert(aDayLater);
        assertThat(tables().history(EVENTS, 10)).containsExactly(aDayLater, propertiesChanged, changed, first);
    }

    @Test
    void healthSyncPassesOverUnchangedTablesWriteNoHistory() {
        List<TableId> all = manyTables();
        Map<TableId, TableHealth> measured = new HashMap<>();
        all.forEach(table -> measured.put(table, tables().get(table).orElseThrow()));
        for (int pass = 0; pass < 4; pass++) {
            advance(Duration.ofMinutes(15));
            for (TableId table : all) {
                tables().upsert(measured.get(table).toBuilder().syncedAt(store.now()).build());
            }
        }

        for (TableId table : List.of(all.get(0), all.get(all.size() / 2), all.get(all.size() - 1))) {
            assertThat(tables().history(table, 10)).hasSize(1);
            assertThat(tables().get(table).orElseThrow().syncedAt()).isEqualTo(store.now());
        }
    }

    /** Follows pages from the first to the one {@code lastKey} calls the last; fails on a page that repeats. */
    private List<TableId> walk(TableQuery first) {
        List<TableId> seen = new ArrayList<>();
        TableQuery page = first;
        for (int pages = 0; pages < 10_000; pages++) {
            List<TableHealth> rows = tables().list(page);
            Optional<TableId> end = tables().lastKey(page);
            assertThat(rows).hasSizeLessThanOrEqualTo(page.limit());
            for (TableHealth row : rows) {
                assertThat(page.matches(row)).as(row.table().key()).isTrue();
            }
            seen.addAll(rows.stream().map(TableHealth::table).toList());
            if (end.isEmpty()) {
                assertThat(rows).hasSizeLessThan(page.limit());
                return seen;
            }
            assertThat(rows).hasSize(page.limit());
            assertThat(rows.get(rows.size() - 1).table()).isEqualTo(end.get());
            page = page.after(end.get());
        }
        throw new AssertionError("More than 10,000 pages: the cursor does not advance");
    }

    /**
     * A few hundred tables over three databases, in key order: names that sort differently by code point than by
     * a language's collation ({@code a_b} before {@code ab}; digits before {@code _} before letters).
     */
    private List<TableId> manyTables() {
        List<TableId> all = new ArrayList<>();
        for (String database : List.of("a_events", "aevents", "orders")) {
            for (int i = 0; i < 100; i++) {
                all.add(TableId.of(database, (i % 3 == 0 ? "t_" : i % 3 == 1 ? "t" : "ta") + i));
            }
        }
        store.inTransaction(stores -> {
            all.forEach(table -> stores.tables().upsert(health(table, enabled(table))));
            return null;
        });
        all.sort(TableId.KEY_ORDER);
        return all;
    }

    private static boolean enabled(TableId table) {
        return table.table().hashCode() % 2 == 0;
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
