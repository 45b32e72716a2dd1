package io.snowpack.core.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Leases that make exactly one process the leader of a {@code lock_key} (the {@code scheduler_leader} table):
 * the leader runs the orchestrator and the sweeper. A lease that is not renewed lapses (backend time), and another
 * process can then take the lead, in a new term with a larger fence. Leader-only writes are fenced with
 * {@link #holds}: checked inside the unit of work that writes, a deposed leader's write is refused.
 *
 * <p>A leader's {@link Lease} is the same kind of lease as a table lock's ({@link LockManager}): its fence grows
 * with every new term and is kept, with {@code acquiredAt}, by renewals. Two rules differ on purpose: a leader that
 * acquires again while it leads continues its term (locks are not re-entrant), and a lapsed lead cannot be renewed,
 * even when nobody took it (a lapsed lock can): a leader whose lease lapsed starts a new term, with a new fence.
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
    Optional<Lease> tryAcquire(String lockKey, String holderId, Duration ttl);

    /**
     * Extends the lease to {@code now + ttl} while it is still valid and its holder and fence are current.
     *
     * @return the renewed lease, or empty when the lead was lost (nothing written)
     */
    Optional<Lease> renew(Lease lease, Duration ttl);

    /**
     * Gives up the lead so another process can take it at once.
     *
     * @return {@code false} when the lease's holder and fence were no longer current (nothing written)
     */
    boolean release(Lease lease);

    /**
     * Whether {@code lease} still leads: its holder and fence are current and it has not lapsed (backend time).
     *
     * <p>This is the fence of leader-only writes. Inside a unit of work ({@link SnowpackStore#inTransaction}) a
     * {@code true} answer stays true until that unit of work ends: a candidate that would take over (or a release)
     * waits for it, so writes made in the same unit of work after a {@code true} answer are never made by a
     * deposed leader. Outside a unit of work the answer is a point in time only.
     */
    boolean holds(Lease lease);

    /** The lease as stored, lapsed or not; empty when nobody ever led or the lead was released. */
    Optional<Lease> current(String lockKey);
}
