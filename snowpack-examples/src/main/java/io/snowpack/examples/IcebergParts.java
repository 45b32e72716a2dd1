package io.snowpack.examples;

import io.snowpack.core.InvalidConfigurationException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.TableSource;
import io.snowpack.iceberg.ExecutorProvider;
import io.snowpack.iceberg.IcebergMaintenanceExecutor;
import io.snowpack.iceberg.IcebergTableSource;
import java.util.Optional;
import org.apache.iceberg.catalog.Catalog;

/**
 * The Iceberg side of an app: the executors that maintain tables and the source that measures them, over one
 * catalog.
 *
 * @param executor    runs the maintenance actions and dry runs in this JVM
 * @param tableSource lists tables and computes their health
 * @param spark       the Spark executor, when {@code executor.spark_enabled=true} (found on the class path)
 */
public record IcebergParts(MaintenanceExecutor executor, TableSource tableSource, Optional<MaintenanceExecutor> spark) {
    /**
     * The parts over {@code catalog}; with {@code executor.spark_enabled=true} also the Spark executor, set up
     * from the process's {@code SNOWPACK_SPARK_*} variables.
     *
     * @throws InvalidConfigurationException when Spark is enabled and {@code snowpack-spark} is not on the class path
     */
    public static IcebergParts over(Catalog catalog, SnowpackConfig config) {
        Optional<MaintenanceExecutor> spark = config.executorSparkEnabled()
                ? Optional.of(sparkProvider().create(catalog, config, System.getenv()))
                : Optional.empty();
        return new IcebergParts(IcebergMaintenanceExecutor.create(catalog, config),
                IcebergTableSource.create(catalog, config), spark);
    }

    /**
     * The {@code spark} executor provider on the class path.
     *
     * @throws InvalidConfigurationException when there is none
     */
    static ExecutorProvider sparkProvider() {
        return ExecutorProvider.find("spark").orElseThrow(() -> new InvalidConfigurationException(
                "executor.spark_enabled", "executor.spark_enabled=true, but snowpack-spark is not on this process's class path: start the "
                        + "worker with snowpack-spark and its dependencies before the Snowpack jar "
                        + "(see README, 'Tables bigger than one JVM'), or set SNOWPACK_EXECUTOR_SPARK_ENABLED=false"));
    }
}
