package io.snowpack.core.worker;

import io.snowpack.core.BackendException;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a claimed job's bookkeeping write (start, result, complete, retry, fail, hand back) again while the
 * database fails, with a capped backoff, for as long as the claim may still be ours: until the stale-claim
 * threshold has passed since the backend last confirmed it (after that the sweeper may have reclaimed the job,
 * which then runs again). Every such write is fenced, so a try that lands after the claim was revoked writes
 * nothing; retrying is therefore safe. Only {@link BackendException}s are retried; an interrupt (the worker's
 * shutdown timeout ran out) ends the retries.
 */
final class SettleRetry {
    private static final Logger LOG = LoggerFactory.getLogger(SettleRetry.class);

    private final Duration first;
    private final Duration cap;
    private final Duration staleAfter;

    SettleRetry(Duration first, Duration cap, Duration staleAfter) {
        this.first = first;
        this.cap = cap;
        this.staleAfter = staleAfter;
    }

    /**
     * Runs {@code write} until it returns or throws something other than a {@link BackendException}.
     *
     * @param what             the write, for the log, e.g. {@code "complete job 4f…"}
     * @param confirmedAtNanos when ({@link System#nanoTime()}) the backend last confirmed the claim
     * @throws BackendException the last failure, once the claim may have been reclaimed or the thread was
     *                          interrupted
     */
    <T> T run(String what, LongSupplier confirmedAtNanos, Supplier<T> write) {
        CappedBackoff backoff = new CappedBackoff(first, cap);
        int failures = 0;
        while (true) {
            try {
                T result = write.get();
                if (failures > 0) {
                    LOG.info("{}: succeeded after {} failed tries", what, failures);
                }
                return result;
            } catch (BackendException e) {
                failures++;
                Duration wait = backoff.next();
                long ownedFor = staleAfter.toNanos() - (System.nanoTime() - confirmedAtNanos.getAsLong());
                if (ownedFor <= wait.toNanos()) {
                    LOG.error("{}: failed {} times; the claim may be reclaimed by now, so the sweeper takes over: {}",
                            what, failures, e.toString());
                    throw e;
                }
                LOG.warn("{}: failed ({} in a row); trying again in {} ms while the claim is ours: {}", what,
                        failures, wait.toMillis(), e.toString());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
