package io.snowpack.core.memory;

import io.snowpack.core.spi.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Backend time of the in-memory stores: the injected clock at microsecond precision, like PostgreSQL's
 * {@code timestamptz}, so the same contract holds for every backend.
 */
final class MemoryTime {
    private final Clock clock;

    MemoryTime(Clock clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    Instant now() {
        return clock.now().truncatedTo(ChronoUnit.MICROS);
    }
}
