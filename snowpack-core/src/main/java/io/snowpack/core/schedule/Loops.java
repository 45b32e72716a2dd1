package io.snowpack.core.schedule;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Periodic loops that survive their own failures: a pass that throws anything, an {@link Error} included, is
 * logged with its stack trace and the next pass still runs (a {@link ScheduledExecutorService} would otherwise end
 * the loop silently at the first throw). Passes never overlap (fixed delay, measured from the end of one pass to the start of the next).
 */
public final class Loops {
    private Loops() {
    }

    /**
     * Runs {@code pass} on {@code scheduler} after {@code initialDelay}, then {@code delay} after each pass ends,
     * until the returned future is cancelled.
     *
     * @param log  where a failed pass is reported
     * @param what the pass's name in that report, e.g. {@code "Sweep"}
     */
    public static ScheduledFuture<?> withFixedDelay(ScheduledExecutorService scheduler, Duration initialDelay,
            Duration delay, Runnable pass, Logger log, String what) {
        Objects.requireNonNull(pass, "pass");
        long delayMillis = delay.toMillis();
        return scheduler.scheduleWithFixedDelay(() -> {
            try {
                pass.run();
            } catch (Throwable e) {
                log.error("{} failed; next try in {} ms", what, delayMillis, e);
            }
        }, initialDelay.toMillis(), delayMillis, TimeUnit.MILLISECONDS);
    }
}
