package io.snowpack.core.spi;

import java.time.Instant;

/**
 * A backend: every store SPI over one shared state, plus atomic units of work that span several stores
 * (submit: lock + job + queue row; cancel; complete; fail; retry). The JDBC backends run a unit of work in one
 * database transaction; the in-memory backend under one lock with an undo log. Either way a unit of work that
 * throws leaves nothing behind: never a lock without a job, never a pending job without its queue row.
 *
 * <p>Single calls on the stores returned by the accessors are atomic on their own. Implementations are
 * thread-safe.
 */
public interface SnowpackStore extends Stores, AutoCloseable {
    /**
     * Runs {@code work} atomically and returns its result. When the work throws, every write it made is undone
     * and the exception propagates unchanged. A unit of work started inside another joins it.
     */
    <T> T inTransaction(TransactionWork<T> work);

    /** Backend time: the database's clock, or the injected clock of the in-memory backend. */
    Instant now();

    /**
     * Calls {@code listener} soon after a job becomes claimable in any process sharing this backend (queued without
     * delay, or handed back to the queue), so idle workers need not wait for their next poll. A hint only: it may
     * come more than once, late, or (after a lost connection) not at all, so callers keep polling as a fallback.
     * The listener runs on a backend thread and must return quickly. Backends that cannot notify return a
     * subscription that does nothing.
     */
    default Subscription onJobsReady(Runnable listener) {
        return Subscription.NONE;
    }

    /** Releases the backend's resources (not the host's {@code DataSource}). */
    @Override
    default void close() {
    }
}
