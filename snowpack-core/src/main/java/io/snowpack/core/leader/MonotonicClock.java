package io.snowpack.core.leader;

import io.snowpack.core.spi.Clock;
import java.time.Instant;

/**
 * A clock that only moves forward at the rate of {@link System#nanoTime()}, immune to wall-clock steps (NTP,
 * an operator changing the time). Its instants mean nothing outside this JVM: use it to measure elapsed time only.
 */
final class MonotonicClock implements Clock {
    static final MonotonicClock INSTANCE = new MonotonicClock();

    private final Instant origin = Instant.now();
    private final long originNanos = System.nanoTime();

    private MonotonicClock() {
    }

    @Override
    public Instant now() {
        return origin.plusNanos(System.nanoTime() - originNanos);
    }
}
