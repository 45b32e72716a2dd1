package io.snowpack.core.memory;

import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.testkit.SettableClock;
import io.snowpack.testkit.contract.BackendContract;

/** Runs every contract suite against the in-memory backend. */
class InMemoryBackendTest extends BackendContract {
    @Override
    protected SnowpackStore createStore(SettableClock clock) {
        return InMemoryStore.create(clock);
    }
}
