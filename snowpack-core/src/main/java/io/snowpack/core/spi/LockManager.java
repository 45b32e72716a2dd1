package io.snowpack.core.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Exclusive, fenced, expiring locks: at most one holder per key at any time. Used to allow one maintenance
 * job per table. Not acquiring a lock is a normal outcome, answered with an empty value, not an exception.
 */
public interface LockManager {
    /**
     * Takes the lock when nobody holds it or the current lease has expired, with a new, larger fence.
     *
     * @return the new lease, or empty when another holder's lease is still valid (also when that holder is
     *         {@code holder} itself: locks are not re-entrant)
     * @throws IllegalArgumentException when {@code ttl} is not positive
     */
    Optional<Lease> tryAcquire(String key, String holder, Duration ttl);

    /**
     * Extends the lease to {@code now + ttl} when its fence is still the key's current one (an expired lease
     * that nobody took over can still be renewed).
     *
     * @return the renewed lease, or empty when the lease was released or taken over (nothing written)
     */
    Optional<Lease> renew(Lease lease, Duration ttl);

    /**
     * Releases the lock when the lease's holder and fence are still current.
     *
     * @return {@code false} when the lease was already released or taken over (nothing written)
     */
    boolean release(Lease lease);

    /**
     * Releases the key's lock when {@code holder} holds it, whatever its fence (cancel, sweeper clean-up): a lock
     * taken over by someone else is left alone.
     *
     * @return {@code true} when a lock held by {@code holder} was released
     */
    default boolean releaseIfHeldBy(String key, String holder) {
        return current(key).filter(lease -> lease.holder().equals(holder)).map(this::release).orElse(false);
    }

    /** The key's lease as stored, expired or not; empty when the key is free. */
    Optional<Lease> current(String key);

    /**
     * Releases every lease that has expired.
     *
     * @return the leases released
     */
    List<Lease> releaseExpired();
}
