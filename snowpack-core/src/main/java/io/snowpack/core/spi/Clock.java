package io.snowpack.core.spi;

import java.time.Instant;

/**
 * The source of "now" for everything Snowpack schedules. Injected everywhere so that tests drive time with a
 * settable clock instead of sleeping.
 */
@FunctionalInterface
public interface Clock {
    /** The current instant. */
    Instant now();

    /** The system clock. */
    static Clock system() {
        return Instant::now;
    }
}
