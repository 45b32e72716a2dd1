package io.snowpack.core.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Leases that make exactly one process the leader of a {@code lock_key} (the {@code scheduler_leader} table):
 * the leader runs the orchestrator and the sweeper. A lease that is not renewed lapses, and another process
 * can then take the lead.
 */
public interface LeaderElector {
    /**
     * Takes the lead when nobody holds it or the lease has lapsed; when {@code holderId} already leads, extends
     * its lease and keeps its {@code acquiredAt}.
     *
     * @return the lease, or empty when another holder leads
     * @throws IllegalArgumentException when {@code ttl} is not positive
     */
    Optional<LeaderLease> tryAcquire(String lockKey, String holderId, Duration ttl);

    /**
     * Extends the lease to {@code now + ttl} while it is still valid and held by the same holder.
     *
     * @return the renewed lease, or empty when the lead was lost (nothing written)
     */
    Optional<LeaderLease> renew(LeaderLease lease, Duration ttl);

    /**
     * Gives up the lead so another process can take it at once.
     *
     * @return {@code false} when the lease was no longer held by its holder
     */
    boolean release(LeaderLease lease);

    /** The lease as stored, lapsed or not; empty when nobody ever led or the lead was released. */
    Optional<LeaderLease> current(String lockKey);
}
