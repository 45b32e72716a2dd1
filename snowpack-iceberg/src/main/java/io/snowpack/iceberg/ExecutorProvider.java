package io.snowpack.iceberg;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.spi.MaintenanceExecutor;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.apache.iceberg.catalog.Catalog;

/**
 * An executor an app finds on its class path instead of depending on it, through {@link ServiceLoader}: the
 * packaged worker runs on Spark when {@code snowpack-spark} (which provides {@code "spark"}) is on its class path
 * and {@code executor.spark_enabled=true}, and carries no Spark otherwise. An implementation lists itself in
 * {@code META-INF/services/io.snowpack.iceberg.ExecutorProvider}.
 */
public interface ExecutorProvider {
    /** The executor kind it provides, as the routing names it: {@code spark}. */
    String name();

    /**
     * An executor over {@code catalog}'s tables with {@code config}'s table defaults, set up from the process
     * {@code environment} (for Spark: every {@code SNOWPACK_SPARK_*} variable).
     */
    MaintenanceExecutor create(Catalog catalog, SnowpackConfig config, Map<String, String> environment);

    /** The provider named {@code name} on the class path of this interface, if there is one. */
    static Optional<ExecutorProvider> find(String name) {
        for (ExecutorProvider provider : ServiceLoader.load(ExecutorProvider.class,
                ExecutorProvider.class.getClassLoader())) {
            if (provider.name().equals(name)) {
                return Optional.of(provider);
            }
        }
        return Optional.empty();
    }
}
