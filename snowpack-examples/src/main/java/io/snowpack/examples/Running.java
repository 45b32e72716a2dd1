package io.snowpack.examples;

import com.zaxxer.hikari.HikariDataSource;
import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.spi.SnowpackStore;

/**
 * A started app: its runtime, its store and its connection pool, closed in that order (graceful: the API stops,
 * workers hand their jobs back, the lease is released, then the connections close). Idempotent.
 *
 * @param runtime    the running parts
 * @param store      the backend
 * @param dataSource the pool behind the backend
 */
public record Running(SnowpackRuntime runtime, SnowpackStore store, HikariDataSource dataSource)
        implements AutoCloseable {
    @Override
    public void close() {
        runtime.close();
        store.close();
        dataSource.close();
    }
}
