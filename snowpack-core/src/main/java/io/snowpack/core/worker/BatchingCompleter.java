package io.snowpack.core.worker;

import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Completion;
import io.snowpack.core.spi.SnowpackStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Settles jobs that end at the same moment in one unit of work (group commit): the first job to end settles at
 * once; jobs that end while that settle is in flight wait for it and then go together, up to {@code maxBatch}, led
 * by the first of them. No thread of its own, and no job waits for a timer: a job alone is settled as soon as it
 * ends. A failed batch fails each of its jobs' settles alike, which then retry on their own.
 *
 * <p>A waiting job's thread is woken once, when its answer is there (or when it is to lead the next batch): the
 * leader wakes exactly the threads of its batch and the next leader, not every waiting thread, and no woken thread
 * has to take a lock to read its answer.
 */
final class BatchingCompleter implements Completer {
    private static final int WAITING = 0;
    private static final int LEAD = 1;
    private static final int DONE = 2;

    private final SnowpackStore store;
    private final int maxBatch;
    /** Guards {@link #waiting} and {@link #leading}; never held during a database call or while a thread parks. */
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Whether a batch is being settled or a waiting job was told to lead the next one. */
    private boolean leading;

    BatchingCompleter(SnowpackStore store, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        this.store = store;
        this.maxBatch = maxBatch;
    }

    /**
     * One job's settle, the thread that waits for it, and its answer once its batch is settled. The answer's
     * fields are written before {@link #state} turns {@code DONE} and read after it did.
     */
    private static final class Waiting {
        final Completion completion;
        final Thread thread = Thread.currentThread();
        volatile int state = WAITING;
        boolean completed;
        RuntimeException failure;

        Waiting(Completion completion) {
            this.completion = completion;
        }
    }

    @Override
    public boolean complete(Completion completion) {
        Waiting mine = new Waiting(completion);
        boolean lead;
        lock.lock();
        try {
            waiting.add(mine);
            lead = !leading; // nobody settles: the queue held only this job, which settles at once
            leading = true;
        } finally {
            lock.unlock();
        }
        if (!lead) {
            awaitTurn(mine);
        }
        while (mine.state != DONE) { // told to lead: this job heads the queue, so the batch it settles holds it
            settleNextBatch();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.completed;
    }

    /** Parks until the job's answer is there or it is to lead; an interrupt is kept for the caller to see. */
    private static void awaitTurn(Waiting mine) {
        boolean interrupted = false;
        while (mine.state == WAITING) {
            LockSupport.park(mine);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settles the oldest waiting jobs, then wakes each of them and the job that leads the next batch, if any. */
    private void settleNextBatch() {
        List<Waiting> batch = new ArrayList<>();
        lock.lock();
        try {
            while (!waiting.isEmpty() && batch.size() < maxBatch) {
                batch.add(waiting.poll());
            }
        } finally {
            lock.unlock();
        }
        Set<JobId> completed = Set.of();
        RuntimeException failure = null;
        try {
            completed = store.completeJobs(batch.stream().map(w -> w.completion).toList());
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new IllegalStateException("Settling " + batch.size() + " jobs failed: " + e, e);
            throw e;
        } finally {
            Waiting next;
            lock.lock();
            try {
                next = waiting.peek();
                if (next == null) {
                    leading = false;
                }
            } finally {
                lock.unlock();
            }
            if (next != null) {
                next.state = LEAD;
                LockSupport.unpark(next.thread);
            }
            Thread self = Thread.currentThread();
            for (Waiting w : batch) {
                w.failure = failure;
                w.completed = failure == null && completed.contains(w.completion.claim().jobId());
                w.state = DONE;
                if (w.thread != self) {
                    LockSupport.unpark(w.thread);
                }
            }
        }
    }
}
