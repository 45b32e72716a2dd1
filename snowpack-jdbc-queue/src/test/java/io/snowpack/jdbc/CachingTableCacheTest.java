package io.snowpack.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.model.TableQuery;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableCache;
import io.snowpack.testkit.SettableClock;
import io.snowpack.testkit.TestData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CachingTableCacheTest {
    private static final TableId EVENTS = TableId.parse("demo.events");
    private static final TableId ORDERS = TableId.parse("demo.orders");

    private SettableClock clock;
    private TableCache shared;
    private CachingTableCache cached;

    @BeforeEach
    void setUp() {
        clock = new SettableClock();
        SnowpackStore store = InMemoryStore.create(clock);
        shared = store.tables();
        cached = CachingTableCache.over(shared, Duration.ofSeconds(2), 100, clock);
    }

    @Test
    void readsAreServedFromMemoryUntilTheTtlPasses() {
        TableHealth first = TestData.health(EVENTS, clock.now(), true);
        shared.upsert(first);
        assertThat(cached.get(EVENTS)).contains(first);
        assertThat(cached.list(TableQuery.all())).containsExactly(first);
        assertThat(cached.status().tableCount()).isEqualTo(1);

        // Another process writes: this one keeps serving what it read, within the TTL.
        shared.upsert(TestData.health(ORDERS, clock.now(), true));
        shared.remove(EVENTS);
        assertThat(cached.get(EVENTS)).contains(first);
        assertThat(cached.status().tableCount()).isEqualTo(1);
        // Listing pages are read through: a cached page would hold whole listings in the heap.
        assertThat(cached.list(TableQuery.all())).extracting(TableHealth::table).containsExactly(ORDERS);

        clock.advance(Duration.ofSeconds(2));
        assertThat(cached.get(EVENTS)).isEmpty();
        assertThat(cached.list(TableQuery.all())).extracting(TableHealth::table).containsExactly(ORDERS);
        assertThat(cached.status().tableCount()).isEqualTo(1);
    }

    /** A batch read shares the cache with single reads: what is cached is served, the rest is read in one call. */
    @Test
    void getAllServesCachedTablesAndReadsTheRestTogether() {
        TableHealth events = TestData.health(EVENTS, clock.now(), true);
        shared.upsert(events);
        assertThat(cached.get(EVENTS)).contains(events);
        assertThat(cached.get(ORDERS)).isEmpty();

        // Another process writes both tables: the cached answers (health, and absence) stand within the TTL.
        shared.upsert(TestData.health(EVENTS, clock.now().plusSeconds(1), false));
        TableHealth orders = TestData.health(ORDERS, clock.now(), true);
        shared.upsert(orders);
        TableId clicks = TableId.parse("demo.clicks");
        TableHealth clicksHealth = TestData.health(clicks, clock.now(), true);
        shared.upsert(clicksHealth);

        assertThat(cached.getAll(List.of(EVENTS, ORDERS, clicks)))
                .containsOnly(Map.entry(EVENTS, events), Map.entry(clicks, clicksHealth));
        assertThat(cached.get(clicks)).as("read by the batch, now cached").contains(clicksHealth);

        clock.advance(Duration.ofSeconds(2));
        assertThat(cached.getAll(List.of(ORDERS))).containsOnly(Map.entry(ORDERS, orders));
    }

    @Test
    void localWritesAreReadBackAtOnce() {
        assertThat(cached.get(EVENTS)).isEmpty();
        assertThat(cached.status().lastSynced()).isEmpty();

        TableHealth health = TestData.health(EVENTS, clock.now(), true);
        cached.upsert(health);
        assertThat(cached.get(EVENTS)).contains(health);
        cached.markSynced();
        assertThat(cached.status().lastSynced()).contains(clock.now());
        cached.remove(EVENTS);
        assertThat(cached.get(EVENTS)).isEmpty();
    }

    @Test
    void healthSyncReadsAreNeverCached() {
        assertThat(cached.tableIds("demo")).isEmpty();
        shared.upsert(TestData.health(EVENTS, clock.now(), true));
        assertThat(cached.tableIds("demo")).containsExactly(EVENTS);
        assertThat(cached.history(EVENTS, 5)).hasSize(1);
    }

    @Test
    void invalidateAllForgetsEverything() {
        assertThat(cached.get(EVENTS)).isEmpty();
        shared.upsert(TestData.health(EVENTS, clock.now(), true));
        cached.invalidateAll();
        assertThat(cached.get(EVENTS)).isPresent();
    }

    @Test
    void aNonPositiveTtlOrSizeIsRefused() {
        assertThatThrownBy(() -> CachingTableCache.over(shared, Duration.ZERO, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> CachingTableCache.over(shared, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }
}
