package io.snowpack.core.worker;

import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Completion;
import io.snowpack.core.spi.SnowpackStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Settles jobs that end at the same moment in one unit of work (group commit): the first job to end settles at
 * once; jobs that end while that settle is in flight wait for it and then go together, up to {@code maxBatch}, led
 * by the first of them. No thread of its own, and no job waits for a timer: a job alone is settled as soon as it
 * ends. A failed batch fails each of its jobs' settles alike, which then retry on their own.
 */
final class BatchingCompleter implements Completer {
    private final SnowpackStore store;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
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

    /** One job's settle, and its answer once its batch is settled. Guarded by {@link #lock}. */
    private static final class Waiting {
        final Completion completion;
        boolean lead;
        boolean done;
        boolean completed;
        RuntimeException failure;

        Waiting(Completion completion) {
            this.completion = completion;
        }
    }

    @Override
    public boolean complete(Completion completion) {
        Waiting mine = new Waiting(completion);
        lock.lock();
        try {
            waiting.add(mine);
            if (!leading) {
                leading = true;
                mine.lead = true;
            }
            while (true) {
                if (mine.done) {
                    if (mine.failure != null) {
                        throw mine.failure;
                    }
                    return mine.completed;
                }
                if (mine.lead) {
                    mine.lead = false;
                    settleNextBatch();
                } else {
                    changed.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Holding the lock: settles the oldest waiting jobs (the lock is let go during the database call). */
    private void settleNextBatch() {
        List<Waiting> batch = new ArrayList<>();
        while (!waiting.isEmpty() && batch.size() < maxBatch) {
            batch.add(waiting.poll());
        }
        Set<JobId> completed = Set.of();
        RuntimeException failure = null;
        lock.unlock();
        try {
            completed = store.completeJobs(batch.stream().map(w -> w.completion).toList());
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new IllegalStateException("Settling " + batch.size() + " jobs failed: " + e, e);
            throw e;
        } finally {
            lock.lock();
            for (Waiting w : batch) {
                w.done = true;
                w.failure = failure;
                w.completed = failure == null && completed.contains(w.completion.claim().jobId());
            }
            Waiting next = waiting.peek();
            if (next != null) {
                next.lead = true;
            } else {
                leading = false;
            }
            changed.signalAll();
        }
    }
}
