package io.snowpack.examples;

import com.zaxxer.hikari.HikariDataSource;
import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.spi.SnowpackStore;

/**
 * A started app: its runtime, its store, its connection pool and its meters, closed in that order (graceful: the
 * API stops, workers hand their jobs back, the lease is released, the connections close, then the metrics server
 * stops and OTLP pushes its last step). Idempotent.
 *
 * @param runtime    the running parts
 * @param store      the backend
 * @param dataSource the pool behind the backend
 * @param metrics    the process's meters (and a worker's metrics server)
 */
public record Running(SnowpackRuntime runtime, SnowpackStore store, HikariDataSource dataSource,
                      ProcessMetrics metrics) implements AutoCloseable {
    @Override
    public void close() {
        runtime.close();
        store.close();
        dataSource.close();
        metrics.close();
    }
}
