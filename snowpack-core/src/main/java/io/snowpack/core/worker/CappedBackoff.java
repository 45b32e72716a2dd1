package io.snowpack.core.worker;

import java.time.Duration;

/**
 * A wait that starts at {@code first} and doubles after every use up to {@code cap}, until {@link #reset()}. Not
 * thread-safe: one loop owns one backoff.
 */
final class CappedBackoff {
    private final Duration first;
    private final Duration cap;
    private Duration next;

    CappedBackoff(Duration first, Duration cap) {
        this.first = first;
        this.cap = cap;
        this.next = first;
    }

    /** The wait to use now; the one after it is twice as long, at most the cap. */
    Duration next() {
        Duration current = next;
        Duration doubled = current.multipliedBy(2);
        next = doubled.compareTo(cap) <= 0 ? doubled : cap;
        return current;
    }

    /** Back to the first wait. */
    void reset() {
        next = first;
    }
}
