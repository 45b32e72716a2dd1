package io.snowpack.http;

import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.testkit.SettableClock;

/** The API suite over the JDK server and the in-memory backend. */
class InMemoryApiTest extends JdkServerApiContract {
    @Override
    protected SnowpackStore createStore(SettableClock clock) {
        return InMemoryStore.create(clock);
    }
}
