package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidConfigurationException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.routing.RoutingExecutor;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.iceberg.IcebergMaintenanceExecutor;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.junit.jupiter.api.Test;

/**
 * The packaged apps carry no Spark: with {@code SNOWPACK_EXECUTOR_SPARK_ENABLED=true} and no {@code snowpack-spark}
 * on the class path a worker refuses to start and says what to add; with a Spark executor it routes per table; with
 * Spark off it runs everything in its own JVM. (The Spark side of the wiring is tested in {@code snowpack-spark}.)
 */
class SparkWiringTest {
    private static final MaintenanceExecutor LOCAL = IcebergMaintenanceExecutor.create(new InMemoryCatalog(),
            SnowpackConfig.defaults());

    @Test
    void sparkEnabledWithoutSnowpackSparkOnTheClassPathIsRefusedSayingWhatToAdd() {
        SnowpackConfig config = SnowpackConfig.builder().executorSparkEnabled(true).build();

        assertThatThrownBy(() -> IcebergParts.over(new InMemoryCatalog(), config))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("snowpack-spark is not on this process's class path")
                .hasMessageContaining("SNOWPACK_EXECUTOR_SPARK_ENABLED=false");
    }

    @Test
    void aWorkerRoutesOnlyWhenSparkIsEnabled() {
        SnowpackStore store = InMemoryStore.create();
        AppEnvironment off = new AppEnvironment(Map.of());
        AppEnvironment on = new AppEnvironment(Map.of("SNOWPACK_EXECUTOR_SPARK_ENABLED", "true"));

        assertThat(WorkerApp.routed(off, LOCAL, Optional.empty(), store)).isSameAs(LOCAL);
        assertThat(WorkerApp.routed(on, LOCAL, Optional.of(LOCAL), store)).isInstanceOf(RoutingExecutor.class);
        assertThatThrownBy(() -> WorkerApp.routed(on, LOCAL, Optional.empty(), store))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("no Spark executor");
    }
}
