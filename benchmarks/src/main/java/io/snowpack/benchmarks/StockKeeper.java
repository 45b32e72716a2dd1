package io.snowpack.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a benchmarked queue stocked between JMH iterations, so that measured claims never find it empty
 * and no enqueue is ever inside the measured operation.
 *
 * <p>Before each iteration the queue is topped up to 1.5 × (the rate measured in the previous iteration ×
 * the longest iteration time), at least {@code minimum} jobs; on PostgreSQL the table is then vacuumed. The
 * rate comes from the jobs consumed over the iteration's wall time or, when the queue ran dry, from the
 * stock over the time it took to empty it: one dry (warm-up) iteration is enough to size the next ones.
 * Claims that found the queue empty are counted by the benchmark ({@code empty}) and must be 0 in measured
 * iterations.
 */
final class StockKeeper {
    private final long minimum;
    private final double iterationSeconds;
    private long target;
    private long stocked;
    private long startedAt;
    private double rate;
    private final AtomicLong dryAt = new AtomicLong();

    StockKeeper(long minimum, long longestIteration, TimeUnit unit) {
        this.minimum = minimum;
        this.iterationSeconds = unit.toNanos(longestIteration) / 1e9;
    }

    /** Before an iteration: tops the queue up, then starts the clock. */
    void beforeIteration(QueueUnderTest queue) {
        target = Math.max(minimum, (long) Math.ceil(1.5 * rate * iterationSeconds));
        long ready = queue.ready();
        queue.stock(Math.max(0, target - ready));
        stocked = Math.max(ready, target);
        dryAt.set(0);
        startedAt = System.nanoTime();
    }

    /** After an iteration: estimates the rate the next stock must cover. */
    void afterIteration(QueueUnderTest queue) {
        long endedAt = System.nanoTime();
        long dry = dryAt.get();
        if (dry != 0) {
            rate = Math.max(rate, stocked / Math.max(1e-3, (dry - startedAt) / 1e9));
        } else {
            long consumed = stocked - queue.ready();
            rate = Math.max(rate, consumed / Math.max(1e-3, (endedAt - startedAt) / 1e9));
        }
    }

    /** Called by a benchmark thread whose claim found nothing (off the hot path). */
    void ranDry() {
        if (dryAt.get() == 0) {
            dryAt.compareAndSet(0, System.nanoTime());
        }
    }
}
