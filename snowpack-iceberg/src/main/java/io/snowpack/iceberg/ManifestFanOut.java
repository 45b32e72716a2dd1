package io.snowpack.iceberg;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Reads the manifests of one table in parallel on a pool shared by every table of the source:
 * {@code health_sync.manifest_concurrency} threads over all tables, and at most that many manifests of one table
 * queued or in flight at once, so neither the pool's queue nor the caller accumulates work whatever the number of
 * manifests. Each read folds its counts into the caller's totals as it ends: nothing of a manifest is kept.
 *
 * <p>The pool's threads are daemons and end after {@value #IDLE_SECONDS} s without work, so a source that is no longer used
 * leaves no thread behind. With a limit of 1, or one manifest, reads run on the calling thread.
 */
final class ManifestFanOut {
    /** How long an idle pool thread lives, in seconds. */
    static final long IDLE_SECONDS = 30;

    private final int limit;
    private final ThreadPoolExecutor pool;

    ManifestFanOut(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("manifest concurrency must be >= 1, got " + limit);
        }
        this.limit = limit;
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(limit, limit, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "snowpack-manifest-read-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Calls {@code read} once for every item, at most {@link #limit} at once, and returns when all have ended.
     * {@code read} must be safe to call from several threads at once. The first failure stops submitting further
     * items and is rethrown once the reads in flight have ended.
     *
     * @throws CancellationException when the caller is interrupted (the interrupt flag is kept); reads in flight end
     *                               first
     */
    <T> void forEach(List<T> items, Consumer<T> read) {
        if (limit == 1 || items.size() <= 1) {
            items.forEach(read);
            return;
        }
        Semaphore window = new Semaphore(limit);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        boolean interrupted = false;
        for (T item : items) {
            try {
                window.acquire();
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
            if (failure.get() != null) {
                window.release();
                break;
            }
            try {
                pool.execute(() -> {
                    try {
                        read.accept(item);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        window.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                window.release();
                read.accept(item);
            }
        }
        window.acquireUninterruptibly(limit);
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new CancellationException("reading manifests interrupted");
        }
        Throwable first = failure.get();
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
    }
}
