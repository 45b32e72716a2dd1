package io.snowpack.core.schedule;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;

/**
 * The start/close lifecycle of one periodic loop (sweeper, orchestrator, health sync, leader election): started at
 * most once, each pass run by {@link Loops#withFixedDelay} so that a failed pass never ends the loop, stopped by
 * {@link #close()}, which is idempotent and lets a pass in progress finish. Thread-safe.
 */
public final class PeriodicTask implements AutoCloseable {
    private final String name;
    private ScheduledFuture<?> loop;
    private ScheduledExecutorService ownThread;

    /** @param name the loop's name in the "already started" error, e.g. {@code "The sweeper"} */
    public PeriodicTask(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Runs {@code pass} on {@code scheduler} after {@code initialDelay}, then {@code delay} after each pass ends.
     *
     * @param what the pass's name when it fails, e.g. {@code "Sweep"}
     * @throws IllegalStateException when already started and not closed since
     */
    public synchronized void start(ScheduledExecutorService scheduler, Duration initialDelay, Duration delay,
            Runnable pass, Logger log, String what) {
        requireStopped();
        loop = Loops.withFixedDelay(scheduler, initialDelay, delay, pass, log, what);
    }

    /**
     * Like {@link #start}, on a daemon thread of the task's own ({@code threadPrefix-1}), which {@link #close()}
     * interrupts and ends.
     *
     * @throws IllegalStateException when already started and not closed since
     */
    public synchronized void startOnOwnThread(String threadPrefix, Duration initialDelay, Duration delay,
            Runnable pass, Logger log, String what) {
        requireStopped();
        ownThread = Executors.newSingleThreadScheduledExecutor(Threads.daemon(threadPrefix));
        loop = Loops.withFixedDelay(ownThread, initialDelay, delay, pass, log, what);
    }

    /** Whether started and not closed since. */
    public synchronized boolean isStarted() {
        return loop != null;
    }

    /** Stops the loop; a pass in progress finishes unless it runs on the task's own thread. Idempotent. */
    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.cancel(false);
            loop = null;
        }
        if (ownThread != null) {
            ownThread.shutdownNow();
            ownThread = null;
        }
    }

    private void requireStopped() {
        if (loop != null) {
            throw new IllegalStateException(name + " is already started");
        }
    }
}
