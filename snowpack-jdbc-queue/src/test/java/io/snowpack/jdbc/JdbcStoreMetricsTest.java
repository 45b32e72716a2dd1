package io.snowpack.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.model.TableId;
import io.snowpack.core.runtime.Role;
import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.testkit.TestData;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A runtime over a JDBC store reports the table-cache layer with Micrometer's own cache meters, in any registry. */
class JdbcStoreMetricsTest {
    private static final TableId EVENTS = TableId.parse("demo.events");

    @Test
    void theRuntimeBindsTheTableCacheMetersToTheHostsRegistry() {
        DataSource dataSource = TestDatabases.h2();
        String schema = TestDatabases.newSchema(dataSource, "metrics_h2");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SnowpackStore store = JdbcStore.builder(dataSource).schema(schema).build();
             SnowpackRuntime runtime = SnowpackRuntime.builder().store(store).meterRegistry(registry)
                     .roles(Role.SCHEDULER).build().start()) {
            store.tables().upsert(TestData.health(EVENTS, store.now(), true));
            for (int i = 0; i < 3; i++) {
                assertThat(runtime.service().plan(EVENTS).reasons()).isNotEmpty();
            }

            FunctionCounter hits = registry.find("cache.gets").tag("cache", CachingTableCache.CACHE_NAME)
                    .tag("result", "hit").functionCounter();
            FunctionCounter misses = registry.find("cache.gets").tag("cache", CachingTableCache.CACHE_NAME)
                    .tag("result", "miss").functionCounter();
            assertThat(misses).isNotNull();
            assertThat(hits).isNotNull();
            assertThat(hits.count() + misses.count()).as("every cached read is counted").isGreaterThanOrEqualTo(3);
        }
    }
}
