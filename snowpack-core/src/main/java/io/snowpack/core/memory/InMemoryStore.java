package io.snowpack.core.memory;

import io.snowpack.core.spi.Clock;
import io.snowpack.core.spi.SnowpackStore;

/**
 * Creates the in-memory backend: every store SPI in one process's memory, thread-safe, with atomic units of
 * work. State lives as long as the returned store; nothing is persisted. Suited to embedding, tests and the
 * reference behaviour the other backends are checked against.
 */
public final class InMemoryStore {
    private InMemoryStore() {
    }

    /** A new, empty in-memory backend on the system clock. */
    public static SnowpackStore create() {
        return create(Clock.system());
    }

    /** A new, empty in-memory backend whose time is {@code clock} (at microsecond precision). */
    public static SnowpackStore create(Clock clock) {
        return new MemoryBackend(clock);
    }
}
