package io.snowpack.core.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Leases that make exactly one process the leader of a {@code lock_key} (the {@code scheduler_leader} table):
 * the leader runs the orchestrator and the sweeper. A lease that is not renewed lapses (backend time), and another
 * process can then take the lead, in a new term with a larger fence. Leader-only writes are fenced with
 * {@link #holds}: checked inside the unit of work that writes, a deposed leader's write is refused.
 */
public interface LeaderElector {
    /**
     * Takes the lead when nobody holds it or the lease has lapsed, in a new term whose fence is larger than every
     * fence handed out before for any key; when {@code holderId} already leads, extends its lease and keeps its
     * {@code acquiredAt} and fence.
     *
     * @return the lease, or empty when another holder leads
     * @throws IllegalArgumentException when {@code ttl} is not positive
     */
    Optional<LeaderLease> tryAcquire(String lockKey, String holderId, Duration ttl);

    /**
     * Extends the lease to {@code now + ttl} while it is still valid and its holder and fence are current.
     *
     * @return the renewed lease, or empty when the lead was lost (nothing written)
     */
    Optional<LeaderLease> renew(LeaderLease lease, Duration ttl);

    /**
     * Gives up the lead so another process can take it at once.
     *
     * @return {@code false} when the lease's holder and fence were no longer current (nothing written)
     */
    boolean release(LeaderLease lease);

    /**
     * Whether {@code lease} still leads: its holder and fence are current and it has not lapsed (backend time).
     *
     * <p>This is the fence of leader-only writes. Inside a unit of work ({@link SnowpackStore#inTransaction}) a
     * {@code true} answer stays true until that unit of work ends: a candidate that would take over (or a release)
     * waits for it, so writes made in the same unit of work after a {@code true} answer are never made by a
     * deposed leader. Outside a unit of work the answer is a point in time only.
     */
    boolean holds(LeaderLease lease);

    /** The lease as stored, lapsed or not; empty when nobody ever led or the lead was released. */
    Optional<LeaderLease> current(String lockKey);
}
