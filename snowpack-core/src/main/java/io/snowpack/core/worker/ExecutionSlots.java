package io.snowpack.core.worker;

import java.util.concurrent.Semaphore;

/**
 * The worker's execution slots: at most {@code slots} jobs run their actions at once, taking turns in the order
 * they asked. A job holds a slot from its first action to its last, not while its outcome is written, so a job that
 * ended does not keep the next one waiting for its settle's commit. Once {@link #open() opened} (the worker closes),
 * every job enters at once: it then only sees the stop request and goes back to the queue.
 */
final class ExecutionSlots {
    /** Permits that open the gate for good: far more than a worker could ever hold, far from overflowing. */
    private static final int OPEN = Integer.MAX_VALUE / 2;

    private final Semaphore free;
    private boolean opened;

    ExecutionSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
        free = new Semaphore(slots, true);
    }

    /**
     * Waits for a free slot. Returns {@code false}, without one, when {@code fence} was asked to stop (before or while
     * it waited) or the thread was interrupted: the job is to go back to the queue without running.
     */
    boolean enter(Fence fence) {
        if (fence.isStopRequested()) {
            return false;
        }
        try {
            free.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (fence.isStopRequested()) {
            free.release();
            return false;
        }
        return true;
    }

    /** Gives back the slot that {@link #enter} returned {@code true} for. */
    void leave() {
        free.release();
    }

    /** Lets every waiting job, and every job to come, enter at once (a closing worker's jobs only stop). */
    synchronized void open() {
        if (!opened) {
            opened = true;
            free.release(OPEN);
        }
    }
}
