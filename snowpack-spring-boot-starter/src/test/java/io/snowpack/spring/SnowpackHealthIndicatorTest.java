package io.snowpack.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.snowpack.core.model.TableId;
import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.TestDatabases;
import io.snowpack.testkit.FakeTableSource;
import io.snowpack.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The indicator over a real H2 store: UP with its details while the database answers, DOWN once it cannot. */
class SnowpackHealthIndicatorTest {

    @Test
    void upWhileTheStoreAnswersDownOnceItIsUnreachable() {
        HikariDataSource dataSource = (HikariDataSource) TestDatabases.h2();
        String schema = TestDatabases.newSchema(dataSource, "indicator");
        SnowpackStore store = JdbcStore.builder(dataSource).schema(schema).build();
        SnowpackRuntime idle = SnowpackRuntime.builder().store(store).roles().build();
        store.tables().upsert(TestData.health(TableId.parse("sales.orders"), store.now(), true));
        store.tables().markSynced();
        SnowpackHealthIndicator indicator = new SnowpackHealthIndicator(store, idle,
                new FakeTableSource(store::now), null);

        Health up = indicator.health();
        assertThat(up.getStatus()).isEqualTo(Status.UP);
        assertThat(up.getDetails()).containsEntry("queue_ready_depth", 0L).containsEntry("leader", "none")
                .doesNotContainKey("this_process_leads");
        assertThat((String) up.getDetails().get("catalog")).startsWith("last health sync at ").endsWith(", 1 tables");

        SnowpackCatalogStatus catalog = () -> "connected";
        assertThat(new SnowpackHealthIndicator(store, idle, null, catalog).health().getDetails())
                .containsEntry("catalog", "connected");

        dataSource.close();
        Health down = indicator.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails()).containsEntry("store", "unreachable").containsKey("error");
    }
}
