package io.snowpack.core.memory;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one lock every in-memory store shares, and the undo log of the transaction that holds it. Mutations
 * register how to undo themselves; when a transaction's work throws, the log runs backwards.
 */
final class Guard {
    private final ReentrantLock lock = new ReentrantLock();
    /** Non-null only while a transaction runs; touched only by the thread holding {@link #lock}. */
    private ArrayDeque<Runnable> undoLog;

    /** Takes the lock; the hot paths use this pair instead of a capturing lambda. */
    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    void locked(Runnable work) {
        lock.lock();
        try {
            work.run();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} atomically; joins the transaction already running on this thread, if any. */
    <T> T transaction(Supplier<T> work) {
        lock.lock();
        try {
            if (undoLog != null) {
                return work.get();
            }
            undoLog = new ArrayDeque<>();
            try {
                return work.get();
            } catch (RuntimeException | Error failure) {
                while (!undoLog.isEmpty()) {
                    undoLog.pop().run();
                }
                throw failure;
            } finally {
                undoLog = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code true} while a transaction runs (call with the lock held): only then is undo information needed. */
    boolean recording() {
        return undoLog != null;
    }

    /** Registers how to undo a mutation just made; a no-op outside a transaction. Call with the lock held. */
    void onRollback(Runnable undo) {
        if (undoLog != null) {
            undoLog.push(undo);
        }
    }
}
