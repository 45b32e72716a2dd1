package io.snowpack.core.worker;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's pause while the catalog or object store cannot be reached. Every job postponed for an outage
 * starts the pause (one second) or doubles it, up to a cap; until it is over no slot claims a new job, so an
 * outage does not burn through the queue. An outcome that shows the services answer again ends it. The pause
 * is logged once when it starts or grows and once when it ends. Thread-safe: every slot reports to it and the
 * claimer asks it.
 */
final class OutagePause {
    private static final Logger LOG = LoggerFactory.getLogger(OutagePause.class);
    /** The first pause after the services stopped answering. */
    static final Duration FIRST = Duration.ofSeconds(1);

    private final Duration cap;
    private final LongSupplier nanoTime;
    private Duration current = Duration.ZERO;
    private long pausedUntilNanos;
    private int postponed;

    /**
     * @param cap      the longest pause; a cap under {@link #FIRST} is used from the first pause on
     * @param nanoTime the monotonic time the pause is measured with
     */
    OutagePause(Duration cap, LongSupplier nanoTime) {
        if (cap == null || cap.isNegative() || cap.isZero()) {
            throw new IllegalArgumentException("the outage pause cap must be positive, got " + cap);
        }
        this.cap = cap;
        this.nanoTime = nanoTime;
    }

    /**
     * A job was postponed because {@code cause} could not be reached: the pause starts, or doubles (at most the
     * cap), from now.
     *
     * @return the pause, which is also how long the postponed job waits before it may be claimed again
     */
    synchronized Duration unreachable(String cause) {
        Duration doubled = current.isZero() ? FIRST : current.multipliedBy(2);
        Duration next = doubled.compareTo(cap) <= 0 ? doubled : cap;
        boolean grew = !next.equals(current);
        current = next;
        pausedUntilNanos = nanoTime.getAsLong() + next.toNanos();
        postponed++;
        if (grew) {
            LOG.warn("catalog or object store unreachable; pausing claims for {} s ({})", seconds(next), cause);
        }
        return next;
    }

    /** An outcome showed that the services answer ({@code how}): the pause, if any, ends now. */
    synchronized void reachable(String how) {
        if (current.isZero()) {
            return;
        }
        LOG.info("catalog or object store reachable again ({}); claims resume after {} jobs were postponed", how,
                postponed);
        current = Duration.ZERO;
        postponed = 0;
    }

    /** How long claims stay paused from now; zero when they are not. */
    synchronized Duration remaining() {
        if (current.isZero()) {
            return Duration.ZERO;
        }
        long left = pausedUntilNanos - nanoTime.getAsLong();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    private static String seconds(Duration pause) {
        return pause.toMillis() % 1000 == 0 ? Long.toString(pause.toSeconds())
                : String.format(Locale.ROOT, "%.1f", pause.toMillis() / 1000.0);
    }
}
