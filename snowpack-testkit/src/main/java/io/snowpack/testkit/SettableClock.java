package io.snowpack.testkit;

import io.snowpack.core.spi.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that moves only when told to. Thread-safe. */
public final class SettableClock implements Clock {
    /** Where test clocks start unless told otherwise. */
    public static final Instant START = Instant.parse("2026-04-25T14:30:00Z");

    private final AtomicReference<Instant> now;

    public SettableClock() {
        this(START);
    }

    public SettableClock(Instant start) {
        now = new AtomicReference<>(start);
    }

    @Override
    public Instant now() {
        return now.get();
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    /** Moves the clock forward by {@code amount}. */
    public void advance(Duration amount) {
        now.updateAndGet(current -> current.plus(amount));
    }
}
