package io.snowpack.spark;

import io.snowpack.core.spi.Checkpoint;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker's checkpoint as seen by one Spark action: callable from any thread (the action's own thread, the
 * commit service's threads, the watcher), one call at a time and never during a commit it let through, and
 * sticky. The first signal it throws is kept: every later call throws
 * that same instance without asking the worker again, {@link #onSignal} runs once (it cancels the action's Spark
 * jobs), and {@link #rethrowSignal} lets the engine throw it even when Iceberg swallowed it (a partial-progress
 * commit that failed is only logged).
 */
final class GuardedCheckpoint implements Checkpoint {
    private final Checkpoint worker;
    private final Runnable onSignal;
    private final AtomicReference<RuntimeException> signal = new AtomicReference<>();

    GuardedCheckpoint(Checkpoint worker, Runnable onSignal) {
        this.worker = worker;
        this.onSignal = onSignal;
    }

    @Override
    public synchronized void check() {
        RuntimeException thrown = signal.get();
        if (thrown != null) {
            throw thrown;
        }
        try {
            worker.check();
        } catch (RuntimeException e) {
            if (Checkpoint.isSignal(e) && signal.compareAndSet(null, e)) {
                onSignal.run();
            }
            throw e;
        }
    }

    /**
     * Runs {@code commit} if the checkpoint lets the work go on, holding off every other call of this checkpoint
     * until the commit returned: Iceberg may commit file groups from several threads, and a signal thrown while
     * another group's commit is in flight would otherwise have that commit land after it.
     *
     * @throws RuntimeException what the checkpoint threw, when it did; the commit did not run
     */
    synchronized void commitIfAllowed(Runnable commit) {
        check();
        commit.run();
    }

    /** Whether a signal was thrown. */
    boolean signalled() {
        return signal.get() != null;
    }

    /** Throws the signal the checkpoint threw, if it threw one; returns otherwise. */
    void rethrowSignal() {
        RuntimeException thrown = signal.get();
        if (thrown != null) {
            throw thrown;
        }
    }
}
