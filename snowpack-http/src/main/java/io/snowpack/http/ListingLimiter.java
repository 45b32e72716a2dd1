package io.snowpack.http;

import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps the table listings one API process serves at once. A listing that finds every slot taken is refused at once
 * (the caller answers 429), never queued: a queue would hold request threads and connections while the heap and the
 * database are already busy with listings. A slot is held from the moment a listing is accepted until its response
 * is closed, after the last byte is written.
 */
final class ListingLimiter {
    /** A held slot; {@link #release()} is idempotent. */
    interface Slot {
        void release();
    }

    private final int slots;
    private final Semaphore available;

    ListingLimiter(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("Invalid listing slots " + slots + ": expected at least 1");
        }
        this.slots = slots;
        this.available = new Semaphore(slots);
    }

    /** A slot when one is free now; empty when {@link #slots()} listings are already running. */
    Optional<Slot> tryAcquire() {
        if (!available.tryAcquire()) {
            return Optional.empty();
        }
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(() -> {
            if (released.compareAndSet(false, true)) {
                available.release();
            }
        });
    }

    /** How many listings may run at once. */
    int slots() {
        return slots;
    }

    /** How many listings are running now. */
    int inUse() {
        return slots - available.availablePermits();
    }
}
