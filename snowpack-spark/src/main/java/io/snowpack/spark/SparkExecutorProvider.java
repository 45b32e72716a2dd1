package io.snowpack.spark;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.iceberg.ExecutorProvider;
import java.time.Duration;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;

/**
 * Provides {@code spark} to apps that find executors on their class path: a {@link SparkMaintenanceExecutor} on
 * the session {@link SparkSessions#fromEnvironment} builds from {@code SNOWPACK_SPARK_*}, with this process as
 * the driver. {@code SNOWPACK_SPARK_CHECKPOINT_INTERVAL_SECONDS} sets how often a running action asks its
 * checkpoint (5 by default). Public only for {@link java.util.ServiceLoader}.
 */
public final class SparkExecutorProvider implements ExecutorProvider {
    /** Seconds between two checkpoints of a running action; not passed on to Spark. */
    public static final String CHECKPOINT_INTERVAL_VARIABLE = "SNOWPACK_SPARK_CHECKPOINT_INTERVAL_SECONDS";

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public MaintenanceExecutor create(Catalog catalog, SnowpackConfig config, Map<String, String> environment) {
        Duration interval = SparkMaintenanceExecutor.DEFAULT_CHECKPOINT_INTERVAL;
        String seconds = environment.get(CHECKPOINT_INTERVAL_VARIABLE);
        if (seconds != null && !seconds.isBlank()) {
            try {
                interval = Duration.ofSeconds(Long.parseLong(seconds.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(CHECKPOINT_INTERVAL_VARIABLE + " must be whole seconds, got '"
                        + seconds + "'", e);
            }
        }
        return SparkMaintenanceExecutor.builder(catalog, SparkSessions.fromEnvironment(environment))
                .config(config)
                .checkpointInterval(interval)
                .build();
    }
}
