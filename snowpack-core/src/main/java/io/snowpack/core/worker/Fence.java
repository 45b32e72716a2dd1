package io.snowpack.core.worker;

import io.snowpack.core.FenceRevokedException;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.StopRequestedException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A running job's proof of ownership: its queue claim and its table lease. Every heartbeat (timer or
 * checkpoint) extends both; once either is refused the fence stays revoked, and every later checkpoint throws.
 * A stop request (graceful shutdown) makes the next checkpoint throw {@link StopRequestedException} instead.
 */
final class Fence implements Checkpoint {
    private final SnowpackStore store;
    private final Claim claim;
    private final Duration lockTtl;
    /**
     * How long after the start of its last confirmed heartbeat a claim is still safely ours to start more work
     * (and a commit) under: the stale-claim threshold less one heartbeat interval. The sweeper reclaims only after
     * the threshold plus one heartbeat interval, so work started in time has two intervals to land.
     */
    private final long safeWindowNanos;
    /**
     * Serialises heartbeats (timer and checkpoints). It is held across database calls, so nothing that runs
     * inside a database transaction may wait for it: the settling transaction reads {@link #lease()}, which takes
     * no lock. (With one monitor for both, a timer heartbeat blocked on the queue row that the settling
     * transaction had locked, while that transaction waited for the monitor: a deadlock PostgreSQL cannot see.)
     */
    private final ReentrantLock beating = new ReentrantLock();
    /** How recently a confirmation lets {@link #checkRecent()} go on without asking the backend again. */
    private final long freshNanos;
    private volatile Lease lease;
    private volatile String revokedBecause;
    private volatile boolean stopRequested;
    private volatile boolean settling;
    private volatile long confirmedAtNanos;

    /**
     * @param confirmedAtNanos when ({@link System#nanoTime()}) the statement that confirmed claim and lease (the
     *                         claim itself) was sent
     * @param fresh            how long after a confirmation {@link #checkRecent()} trusts it
     */
    Fence(SnowpackStore store, Claim claim, Lease lease, Duration lockTtl, Duration safeWindow, Duration fresh,
          long confirmedAtNanos) {
        this.store = store;
        this.claim = claim;
        this.lease = lease;
        this.lockTtl = lockTtl;
        this.safeWindowNanos = safeWindow.toNanos();
        this.freshNanos = Math.min(fresh.toNanos(), safeWindowNanos / 2);
        this.confirmedAtNanos = confirmedAtNanos;
    }

    Claim claim() {
        return claim;
    }

    /** The current lease; never blocks. */
    Lease lease() {
        return lease;
    }

    /**
     * Extends claim and lease; {@code false} once either was refused. A store that does not answer throws: at a
     * checkpoint that fails the unit of work (nothing is committed on an unconfirmed fence).
     */
    boolean heartbeat() {
        beating.lock();
        try {
            if (revokedBecause != null) {
                return false;
            }
            if (!store.queue().heartbeat(claim)) {
                revokedBecause = "the claim was revoked (job cancelled or reclaimed)";
                return false;
            }
            Optional<Lease> renewed = store.locks().renew(lease, lockTtl);
            if (renewed.isEmpty()) {
                revokedBecause = "the table lock was lost";
                return false;
            }
            lease = renewed.get();
            confirmedAtNanos = System.nanoTime();
            return true;
        } finally {
            beating.unlock();
        }
    }

    /**
     * When ({@link System#nanoTime()}) the backend last confirmed claim and lease: the fence's creation (right
     * after the claim was confirmed) or the last successful heartbeat.
     */
    long confirmedAtNanos() {
        return confirmedAtNanos;
    }

    String revokedBecause() {
        return revokedBecause;
    }

    /** The job's work is over and its outcome is being written: a refused heartbeat now is expected, not news. */
    void markSettling() {
        settling = true;
    }

    boolean isSettling() {
        return settling;
    }

    void requestStop() {
        stopRequested = true;
    }

    boolean isStopRequested() {
        return stopRequested;
    }

    /**
     * Lets the job start its next action: like {@link #check()}, but without a round trip to the backend while
     * the last confirmation (the claim, or a heartbeat) is recent, since it left a safe window far longer than that.
     * A cancel or reclaim since then is noticed at the executor's next checkpoint, which always asks the backend,
     * and every write stays fenced.
     */
    void checkRecent() {
        if (stopRequested) {
            throw new StopRequestedException(claim.jobId().value());
        }
        if (revokedBecause != null) {
            throw new FenceRevokedException(claim.jobId().value(), revokedBecause);
        }
        if (System.nanoTime() - confirmedAtNanos >= freshNanos) {
            check();
        }
    }

    /**
     * Lets the job go on only with a claim confirmed just now and a safe window left: throws
     * {@link StopRequestedException} when the worker stops, {@link FenceRevokedException} when the claim or the
     * lease was refused, or when the heartbeat that confirmed them took so long (a stalled process, a stalled
     * database) that the sweeper could reclaim the claim before the next unit of work or commit would end.
     * Measured on the monotonic clock.
     */
    @Override
    public void check() {
        if (stopRequested) {
            throw new StopRequestedException(claim.jobId().value());
        }
        long began = System.nanoTime();
        if (!heartbeat()) {
            throw new FenceRevokedException(claim.jobId().value(), revokedBecause());
        }
        long took = System.nanoTime() - began;
        if (took >= safeWindowNanos) {
            revokedBecause = "confirming the claim took " + took / 1_000_000 + " ms, leaving no safe window before "
                    + "the sweeper may reclaim it (" + safeWindowNanos / 1_000_000 + " ms)";
            throw new FenceRevokedException(claim.jobId().value(), revokedBecause);
        }
    }
}
