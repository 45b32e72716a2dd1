package io.snowpack.core.memory;

import io.snowpack.testkit.contract.BackendContract;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.testkit.SettableClock;

/** Runs every contract suite against the in-memory backend. */
class InMemoryBackendTest extends BackendContract {
    @Override
    protected SnowpackStore createStore(SettableClock clock) {
        return InMemoryStore.create(clock);
    }
}
