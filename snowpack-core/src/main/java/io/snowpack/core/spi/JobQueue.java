package io.snowpack.core.spi;

import io.snowpack.core.model.JobId;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A durable work queue of job ids shared by every worker process. All times are backend time (the database's
 * {@code now()}, or the injected clock of the in-memory backend).
 *
 * <p>Claiming hands out a {@link Claim} carrying a fence token that grows with every claim. Every write a
 * worker makes afterwards carries that fence: once the claim was revoked (the job was cancelled and its row
 * removed, or the claim was reclaimed as stale), the write changes nothing and reports {@code false}, so the
 * worker knows to stop. A job is never handed to two workers while a claim on it is current.
 */
public interface JobQueue {
    /**
     * Adds a job, claimable once {@code delay} has passed.
     *
     * @throws IllegalStateException when the job is already queued
     */
    void enqueue(JobId jobId, Duration delay);

    /**
     * Claims up to {@code max} visible, unclaimed jobs, oldest {@code visible_at} first. Each claimed row gets
     * a new fence, {@code attempts + 1}, {@code claimed_at = now} and {@code claimed_by = workerId}.
     *
     * @return the claims, possibly empty; never more than {@code max}
     * @throws IllegalArgumentException when {@code max < 1}
     */
    List<Claim> claim(String workerId, int max);

    /**
     * Extends the claim ({@code claimed_at = now}) when its fence is still current.
     *
     * @return {@code true} when the claim is still valid; {@code false} when it was revoked (nothing written)
     */
    boolean heartbeat(Claim claim);

    /**
     * Removes the job's row when the claim's fence is still current: the job is done with the queue.
     *
     * @return {@code false} when the claim was revoked (nothing written)
     */
    boolean complete(Claim claim);

    /**
     * Completes many claims in one operation; claims whose fence was revoked are left alone.
     *
     * @return the ids of the jobs whose rows were removed
     */
    Set<JobId> completeAll(Collection<Claim> claims);

    /**
     * Hands the job back for another attempt, claimable after {@code delay}, with the fence revoked.
     *
     * @return {@code false} when the claim was revoked (nothing written)
     */
    boolean retry(Claim claim, Duration delay);

    /**
     * Hands the job back untouched because a service it needs (the catalog, the object store) could not be
     * reached: claimable after {@code delay}, fence revoked, and the attempt it was claimed for does not count
     * ({@code attempts} goes back to what it was before this claim, so the next claim gets the same number).
     *
     * @return {@code false} when the claim was revoked (nothing written)
     * @throws IllegalArgumentException when {@code delay} is negative
     */
    boolean postpone(Claim claim, Duration delay);

    /**
     * Hands an unfinished job back at once (graceful shutdown), with the fence revoked. The attempt still
     * counts.
     *
     * @return {@code false} when the claim was revoked (nothing written)
     */
    boolean release(Claim claim);

    /**
     * Removes a job's row whatever its claim state; any current claim is thereby revoked.
     *
     * @return {@code true} when a row was removed
     */
    boolean remove(JobId jobId);

    /**
     * Unclaims every row whose {@code claimed_at} is older than {@code staleAfter}: the row becomes claimable
     * at once and its fence is revoked, so the stalled worker can write nothing more.
     *
     * @return the claims that were revoked, as they were before the reclaim
     */
    List<Claim> reclaimStale(Duration staleAfter);

    /** Rows claimable now: unclaimed with {@code visible_at <= now}. */
    long readyDepth();

    /** The job's row, when queued. */
    Optional<QueueEntry> entry(JobId jobId);
}
