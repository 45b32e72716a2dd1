package io.snowpack.core.worker;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker's execution slots: at most {@code slots} jobs run their actions at once, and jobs waiting for a slot get
 * one in the order they were {@link #line lined up} (the claimer lines jobs up in claim order, so prefetched jobs run
 * in queue order whichever of their threads wakes first). A job holds a slot from its first action to its last, not
 * while its outcome is written, so a job that ended does not keep the next one waiting for its settle's commit. Once
 * {@link #open() opened} (the worker closes), every job enters at once: it then only sees the stop request and goes
 * back to the queue.
 */
final class ExecutionSlots {
    private final ReentrantLock lock = new ReentrantLock();
    /** Jobs waiting for a slot, first come first served; only the first is woken. Guarded by {@link #lock}. */
    private final ArrayDeque<Waiter> line = new ArrayDeque<>();
    private int free;
    private boolean opened;

    /** A job in line, and the condition that wakes it (its turn may have come). */
    private record Waiter(Fence fence, Condition turn) {
    }

    ExecutionSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
        free = slots;
    }

    /** Puts the job of {@code fence} in line for a slot now, ahead of every job lined up later. */
    void line(Fence fence) {
        lock.lock();
        try {
            waiter(fence);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the job of {@code fence} is first in line and a slot is free (a job not lined up yet joins the end
     * of the line). Returns {@code false}, without a slot and out of the line, when {@code fence} was asked to stop
     * (before or while it waited) or the thread was interrupted: the job is to go back to the queue without running.
     */
    boolean enter(Fence fence) {
        lock.lock();
        try {
            Waiter me = waiter(fence);
            boolean interrupted = false;
            while (!fence.isStopRequested() && !opened && (line.peek() != me || free == 0)) {
                try {
                    me.turn().await();
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            line.remove(me);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            boolean enters = !interrupted && !fence.isStopRequested();
            if (enters && !opened) {
                free--;
            }
            wakeFirst();
            return enters;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back the slot that {@link #enter} returned {@code true} for. */
    void leave() {
        lock.lock();
        try {
            if (!opened) {
                free++;
            }
            wakeFirst();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lets every waiting job, and every job to come, enter at once: called after the closing worker asked its jobs
     * to stop, so they go back to the queue without waiting for the jobs still running.
     */
    void open() {
        lock.lock();
        try {
            opened = true;
            line.forEach(w -> w.turn().signal());
        } finally {
            lock.unlock();
        }
    }

    /** Holding the lock: the waiter of {@code fence}, put at the end of the line if it is not in it. */
    private Waiter waiter(Fence fence) {
        for (Waiter w : line) {
            if (w.fence() == fence) {
                return w;
            }
        }
        Waiter w = new Waiter(fence, lock.newCondition());
        line.add(w);
        return w;
    }

    /** Holding the lock: wakes the first in line when a slot is free for it. */
    private void wakeFirst() {
        Waiter first = line.peek();
        if (first != null && (free > 0 || opened)) {
            first.turn().signal();
        }
    }
}
