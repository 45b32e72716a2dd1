package io.snowpack.core.spi;

import io.snowpack.core.DrainModeException;
import io.snowpack.core.model.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    /**
     * Claims up to {@code max} claimable jobs for {@code workerId} and starts them: each started job's queue row is
     * claimed with a new fence ({@link JobQueue#claim}), its status is {@code running} with the claim's attempt, and
     * its table lock is renewed to {@code lockTtl} (or taken again when it was released or expired meanwhile).
     * Claimed jobs that cannot start are settled here and not returned: a job no longer pending (cancelled) has its
     * row completed; a job whose table lock another holder took fails with that holder named.
     *
     * <p>Each job's claim and start take effect together or not at all (PostgreSQL does the whole batch in one
     * statement). A start the backend keeps failing is handed back to the queue.
     *
     * @return the started jobs, oldest {@code visible_at} first; never more than {@code max}
     * @throws IllegalArgumentException when {@code max < 1} or {@code lockTtl} is not positive
     */
    default List<StartedJob> claimAndStart(String workerId, int max, Duration lockTtl) {
        requireClaimable(max, lockTtl);
        return JobDispatch.claimThenStart(this, workerId, max, lockTtl);
    }

    /**
     * Settles jobs whose every action ended well, in one unit of work: for each completion whose claim is still
     * current, the queue row is removed, the completion's results are appended, the job becomes {@code completed}
     * and its table lock is released. A completion whose claim was revoked (cancel, reclaim) writes nothing.
     *
     * @return the jobs completed; the others' claims had been revoked
     * @throws IllegalArgumentException when two completions are for the same job
     */
    default Set<JobId> completeJobs(Collection<Completion> completions) {
        return JobDispatch.complete(this, completions);
    }

    /**
     * Queues each draft as a pending job, all in one unit of work (the caller's, when called inside one): unless the
     * draft's table is busy, the table lock is taken by the new job for {@code lockTtl}, the job is stored
     * {@code pending} and its queue row is claimable at once. A table is busy when it has an unfinished job (pending
     * or running, not a dry run; a job that waited longer than its lock's TTL still counts) or a lock another holder
     * still holds; a busy draft writes nothing and its admission names the holder. Of two drafts for one table the
     * first decides and the second is busy with what the first became or met.
     *
     * <p>PostgreSQL queues the whole list in one statement; other backends run the same steps draft by draft.
     *
     * @return one admission per draft, in the drafts' order
     * @throws IllegalArgumentException when a draft is a dry run (previews are never queued), two drafts share a
     *                                  job id, or {@code lockTtl} is not positive
     */
    default List<Admission> queueJobs(List<JobDraft> drafts, Duration lockTtl) {
        requireQueueable(drafts, lockTtl);
        return JobDispatch.queue(this, drafts, lockTtl);
    }

    /**
     * {@link #queueJobs}, unless drain mode is on in this store ({@link SettingsStore#drainMode()}): then nothing is
     * written and {@link DrainModeException} is thrown. The drain check is part of the same unit of work (on
     * PostgreSQL, of the one statement), so a submit asks the database once, not twice.
     *
     * @throws DrainModeException when drain mode is on in the store; nothing was written
     */
    default List<Admission> queueJobsUnlessDrained(List<JobDraft> drafts, Duration lockTtl) {
        requireQueueable(drafts, lockTtl);
        return inTransaction(stores -> {
            if (stores.settings().drainMode()) {
                throw new DrainModeException();
            }
            return queueJobs(drafts, lockTtl);
        });
    }

    /** Checks the arguments of {@link #queueJobs}, for implementations. */
    static void requireQueueable(List<JobDraft> drafts, Duration lockTtl) {
        Lease.requirePositive(lockTtl);
        Set<JobId> ids = new HashSet<>();
        for (JobDraft draft : drafts) {
            if (draft.dryRun()) {
                throw new IllegalArgumentException("dry run " + draft.jobId() + " for " + draft.table()
                        + " cannot be queued: previews run at submit");
            }
            if (!ids.add(draft.jobId())) {
                throw new IllegalArgumentException("two drafts share job id " + draft.jobId());
            }
        }
    }

    /** Checks the arguments of {@link #claimAndStart}, for implementations. */
    static void requireClaimable(int max, Duration lockTtl) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, got " + max);
        }
        Lease.requirePositive(lockTtl);
    }

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
