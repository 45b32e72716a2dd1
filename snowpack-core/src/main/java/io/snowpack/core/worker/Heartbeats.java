package io.snowpack.core.worker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeats of the jobs a worker holds, on one timer thread: from the moment a job is {@link #add added} until
 * it is {@link #remove removed}, it is beaten once within every heartbeat interval, early rather than late (the
 * timer ticks four times an interval and beats every job whose due time would pass before the next tick), so no
 * interval between two beats is longer than the configured one. Beats run one after another, as they reach the
 * store one at a time anyway. One timer task serves every job: taking a job on or letting it go touches a map, not
 * the timer's queue, and wakes no thread.
 */
final class Heartbeats implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);
    /** The timer ticks no more often than this, whatever the interval. */
    private static final long SHORTEST_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final long periodNanos;
    private final long tickNanos;
    private final Consumer<Fence> beat;
    /** Held jobs, by the {@link System#nanoTime()} their next beat is due. */
    private final Map<Fence, Long> dueAt = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    /**
     * Starts the timer, on a thread from {@code threads}; {@code beat} is called with each job's fence when its beat
     * is due. A beat that throws is logged, and the job is beaten again at its next due time.
     */
    Heartbeats(Duration period, ThreadFactory threads, Consumer<Fence> beat) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("heartbeat period must be positive, got " + period);
        }
        this.periodNanos = period.toNanos();
        this.tickNanos = Math.max(periodNanos / 4, SHORTEST_TICK_NANOS);
        this.beat = beat;
        this.timer = Executors.newSingleThreadScheduledExecutor(threads);
        timer.scheduleWithFixedDelay(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Beats the job of {@code fence} from one interval from now on. Returns {@code false}, and beats nothing, once
     * the heartbeats are {@link #close closed}: the worker closed while the job was being claimed.
     */
    boolean add(Fence fence) {
        if (timer.isShutdown()) {
            return false;
        }
        dueAt.put(fence, System.nanoTime() + periodNanos);
        return true;
    }

    /** Beats the job of {@code fence} no more (a beat under way finishes). */
    void remove(Fence fence) {
        dueAt.remove(fence);
    }

    private void tick() {
        for (Map.Entry<Fence, Long> held : dueAt.entrySet()) {
            long due = held.getValue();
            if (System.nanoTime() + tickNanos - due < 0) {
                continue; // the next tick comes before it is due
            }
            try {
                beat.accept(held.getKey());
            } catch (RuntimeException e) { // a throwing task would end the timer: keep beating the other jobs
                LOG.warn("Heartbeat for job {} failed: {}", held.getKey().claim().jobId(), e.toString());
            }
            dueAt.replace(held.getKey(), due, System.nanoTime() + periodNanos); // unless removed meanwhile
        }
    }

    /** Stops the timer: no beat starts after this returns, and {@link #add} refuses new jobs. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
