package io.snowpack.core.memory;

import io.snowpack.core.spi.Clock;
import io.snowpack.core.spi.HealthHistoryRule;
import io.snowpack.core.spi.SnowpackStore;
import java.util.Objects;

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

    /**
     * A new, empty in-memory backend whose time is {@code clock} (at microsecond precision), keeping health history
     * by {@link HealthHistoryRule#defaults()}.
     */
    public static SnowpackStore create(Clock clock) {
        return create(clock, HealthHistoryRule.defaults());
    }

    /**
     * A new, empty in-memory backend whose time is {@code clock}, appending to a table's health history as
     * {@code historyRule} says (wire {@code SnowpackConfig.healthHistoryRule()} here).
     */
    public static SnowpackStore create(Clock clock, HealthHistoryRule historyRule) {
        return new MemoryBackend(Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(historyRule, "historyRule"));
    }
}
