package io.snowpack.core.health;

import io.snowpack.core.schedule.Threads;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks on a fixed pool of daemon threads with at most {@code limit} in flight. {@link #submit} blocks the
 * caller while {@code limit} tasks run, so neither the pool's queue nor the caller accumulates pending work:
 * memory stays bounded whatever the number of tasks.
 */
final class BoundedExecutor implements AutoCloseable {
    private final int limit;
    private final Semaphore slots;
    private final ExecutorService pool;

    BoundedExecutor(int limit, String threadPrefix) {
        this.limit = limit;
        this.slots = new Semaphore(limit);
        this.pool = Executors.newFixedThreadPool(limit, Threads.daemon(threadPrefix));
    }

    /**
     * Runs {@code task} once a slot is free. The task must not throw; if it does, the slot is still freed.
     *
     * @throws CancellationException when the caller is interrupted while waiting (the interrupt flag is kept)
     */
    void submit(Runnable task) {
        acquire(1);
        try {
            pool.execute(() -> {
                try {
                    task.run();
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    /** Waits until every submitted task has finished. */
    void awaitIdle() {
        acquire(limit);
        slots.release(limit);
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void acquire(int permits) {
        try {
            slots.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("health sync interrupted");
        }
    }
}
