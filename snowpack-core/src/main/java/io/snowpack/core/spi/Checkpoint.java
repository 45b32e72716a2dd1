package io.snowpack.core.spi;

import io.snowpack.core.FenceRevokedException;

/**
 * Called by an executor between units of work (file groups) and right before every commit. Returns when the
 * job may go on; otherwise throws one of the two checkpoint signals, after which the executor must stop, commit
 * nothing more, and let the signal propagate unchanged (not wrapped, not classified as a failure):
 * <ul>
 *   <li>{@link FenceRevokedException}: the job was cancelled, its claim reclaimed or its table lock lost;</li>
 *   <li>{@link StopRequestedException}: the worker is shutting down and hands the job back.</li>
 * </ul>
 * {@link #isSignal(Throwable)} tells an executor's catch-all which exceptions to rethrow as they are.
 */
@FunctionalInterface
public interface Checkpoint {
    /**
     * @throws FenceRevokedException  when the job was cancelled, its claim reclaimed or its table lock lost
     * @throws StopRequestedException when the worker is shutting down
     */
    void check();

    /** Whether {@code failure} is a checkpoint signal, which an executor must rethrow unchanged. */
    static boolean isSignal(Throwable failure) {
        return failure instanceof FenceRevokedException || failure instanceof StopRequestedException;
    }

    /**
     * The checkpoint signal {@code failure} is or was caused by (a library between the executor and its
     * checkpoint may have wrapped it), or {@code null} when it is a real failure.
     */
    static RuntimeException signalIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isSignal(t)) {
                return (RuntimeException) t;
            }
        }
        return null;
    }

    /** A checkpoint that always lets the work go on (previews, tests). */
    static Checkpoint none() {
        return () -> { };
    }
}
