package io.snowpack.core.worker;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The places a worker can claim jobs into (its slots and its prefetch), and the claimer waiting for enough of them.
 * Unlike a {@link java.util.concurrent.Semaphore} acquired for several permits, which wakes its waiter on every
 * release only for it to find too few and park again, the claimer here is woken once: when as many places as it
 * waits for are free. Jobs give places back one at a time, so with a claim of a dozen jobs that is a dozen
 * thread wake-ups saved per claim.
 */
final class ClaimPlaces {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition enough = lock.newCondition();
    /** Guarded by {@link #lock}. */
    private int free;
    /** How many places the waiting claimer needs; 0 while nobody waits. Guarded by {@link #lock}. */
    private int awaited;

    ClaimPlaces(int places) {
        if (places < 1) {
            throw new IllegalArgumentException("places must be >= 1, got " + places);
        }
        free = places;
    }

    /**
     * Waits until at least {@code atLeast} places are free, then takes every free place and returns how many that
     * is. One caller at a time (the claimer).
     */
    int takeAtLeast(int atLeast) throws InterruptedException {
        if (atLeast < 1) {
            throw new IllegalArgumentException("atLeast must be >= 1, got " + atLeast);
        }
        lock.lock();
        try {
            awaited = atLeast;
            try {
                while (free < atLeast) {
                    enough.await();
                }
            } finally {
                awaited = 0;
            }
            int taken = free;
            free = 0;
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Gives {@code places} back; wakes the claimer only when it now has what it waits for. */
    void release(int places) {
        if (places < 0) {
            throw new IllegalArgumentException("places must be >= 0, got " + places);
        }
        if (places == 0) {
            return;
        }
        lock.lock();
        try {
            free += places;
            if (awaited > 0 && free >= awaited) {
                enough.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    void release() {
        release(1);
    }

    /** The places free now (for tests and metrics; may change at once). */
    int free() {
        lock.lock();
        try {
            return free;
        } finally {
            lock.unlock();
        }
    }
}
