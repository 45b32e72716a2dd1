package io.snowpack.core.worker;

import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Completion;
import io.snowpack.core.spi.SnowpackStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes jobs whose actions all ended well on a thread of its own, in group commits: a completion handed in while
 * nothing settles is written at once; those handed in while a settle is in flight go together in the next one, up to
 * {@code maxBatch}. The thread that hands a completion in does not wait for it: each completion's callback runs on
 * the batcher's thread once its batch committed or failed, so it must be short and must not block (anything that
 * needs the database goes to another thread). Callbacks run in the order their completions were handed in.
 */
final class CompletionBatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionBatcher.class);

    /** What became of one completion: written, refused (its claim had been revoked) or failed with its batch. */
    @FunctionalInterface
    interface Callback {
        /**
         * @param completed {@code true} when the job completed; {@code false} when it did not (see {@code failure})
         * @param failure   the batch's failure ({@code completed} is then {@code false}; the settle may or may not
         *                  have landed), or {@code null} when the batch was written and a refused job's claim had been
         *                  revoked
         */
        void settled(boolean completed, RuntimeException failure);
    }

    private record Pending(Completion completion, Callback callback) {
    }

    private final SnowpackStore store;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition handedIn = lock.newCondition();
    /** Guarded by {@link #lock}. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** Guarded by {@link #lock}: the batcher's thread waits for work (only then is it signalled). */
    private boolean idle;
    /** Guarded by {@link #lock}. */
    private boolean closed;
    private final Thread thread;

    CompletionBatcher(SnowpackStore store, int maxBatch, ThreadFactory threads) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        this.store = store;
        this.maxBatch = maxBatch;
        this.thread = threads.newThread(this::settleWhileOpen);
        thread.start();
    }

    /**
     * Hands a completion in; {@code callback} runs once it was written or refused. Returns {@code false}, having
     * taken nothing, once the batcher is closed: the caller then settles the job itself.
     */
    boolean submit(Completion completion, Callback callback) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            pending.add(new Pending(completion, callback));
            if (idle) {
                handedIn.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes no more completions, settles every one handed in so far, and waits up to {@code timeout} for that.
     * Returns whether everything handed in was settled.
     */
    boolean close(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            closed = true;
            handedIn.signal();
        } finally {
            lock.unlock();
        }
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    private void settleWhileOpen() {
        List<Pending> batch;
        while ((batch = nextBatch()) != null) {
            settle(batch);
        }
    }

    /** The oldest completions handed in, waiting while there are none; {@code null} once closed and drained. */
    private List<Pending> nextBatch() {
        lock.lock();
        try {
            while (pending.isEmpty()) {
                if (closed) {
                    return null;
                }
                idle = true;
                try {
                    handedIn.awaitUninterruptibly();
                } finally {
                    idle = false;
                }
            }
            List<Pending> batch = new ArrayList<>(Math.min(pending.size(), maxBatch));
            while (!pending.isEmpty() && batch.size() < maxBatch) {
                batch.add(pending.poll());
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void settle(List<Pending> batch) {
        Set<JobId> completed = Set.of();
        RuntimeException failure = null;
        try {
            completed = store.completeJobs(batch.stream().map(Pending::completion).toList());
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) { // the batcher lives on: its jobs settle again on their own, and later batches go on
            LOG.error("Completing {} jobs failed", batch.size(), e);
            failure = new IllegalStateException("Completing " + batch.size() + " jobs failed: " + e, e);
        }
        for (Pending p : batch) {
            boolean done = failure == null && completed.contains(p.completion().claim().jobId());
            try {
                p.callback().settled(done, failure);
            } catch (RuntimeException | Error e) {
                LOG.error("The settle callback of job {} failed", p.completion().claim().jobId(), e);
            }
        }
    }
}
