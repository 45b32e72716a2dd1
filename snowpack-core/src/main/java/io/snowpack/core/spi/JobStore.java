package io.snowpack.core.spi;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Job records and their action results. Status changes are compare-and-set on the expected status, so a job
 * that was cancelled (or otherwise moved on) is never overwritten by a late writer, and terminal jobs never
 * change.
 */
public interface JobStore {
    /**
     * Stores a new job as {@code pending}, submitted now (backend time).
     *
     * @return the stored job
     * @throws IllegalStateException when a job with that id exists
     */
    Job insert(JobDraft draft);

    /** The job with its results, when it exists. */
    Optional<Job> find(JobId jobId);

    /**
     * Applies {@code transition} when the job's status is {@code expected}.
     *
     * @return {@code true} when applied; {@code false} when the job is missing or not in {@code expected}
     *         (nothing written)
     * @throws io.snowpack.core.IllegalJobTransitionException when {@code expected -> target} is not a legal
     *                                                        transition (checked before anything is read)
     */
    boolean transition(JobId jobId, JobStatus expected, JobTransition transition);

    /**
     * Appends one action result to a job that is not terminal.
     *
     * @return {@code false} when the job is missing or terminal (nothing written)
     */
    boolean addResult(JobId jobId, ActionResult result);

    /**
     * Appends one action result whatever the job's status, without changing it: for a commit that landed after
     * the job's fence was revoked (a cancel or a reclaim while the commit was in flight), so the job tells the
     * truth about its table.
     *
     * @return {@code false} when the job is missing (nothing written)
     */
    boolean addLateResult(JobId jobId, ActionResult result);

    /**
     * Records, in backend time, that the worker of a job cancelled while running confirmed that it stopped.
     *
     * @return {@code true} when recorded; {@code false} when the job is missing, not cancelled, or already confirmed
     */
    boolean confirmStop(JobId jobId);

    /** Jobs matching the query, newest submission first (ties broken by id), at most {@code query.limit()}. */
    List<Job> list(JobQuery query);

    /**
     * Deletes terminal jobs (and their results) that completed more than {@code retention} ago.
     *
     * @return how many jobs were deleted
     */
    int pruneTerminal(Duration retention);
}
