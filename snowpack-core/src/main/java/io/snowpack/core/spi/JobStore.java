package io.snowpack.core.spi;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.TableId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
     * When {@code table} was last maintained: the completion time of its newest {@code completed} job that was not a
     * dry run; empty when it has none (failed and cancelled jobs do not count). Backends answer from an index.
     */
    default Optional<Instant> lastCompletion(TableId table) {
        return list(JobQuery.all().withTable(table).withStatus(JobStatus.COMPLETED).withLimit(JobQuery.MAX_LIMIT))
                .stream().filter(job -> !job.dryRun()).map(Job::completedAt).filter(Objects::nonNull)
                .max(Instant::compareTo);
    }

    /**
     * A {@code pending} or {@code running} job of {@code table} that is not a dry run (the job that holds the table),
     * if any. Backends answer from an index.
     */
    default Optional<JobId> unfinishedJob(TableId table) {
        for (JobStatus status : List.of(JobStatus.PENDING, JobStatus.RUNNING)) {
            Optional<JobId> job = list(JobQuery.all().withTable(table).withStatus(status).withLimit(5)).stream()
                    .filter(j -> !j.dryRun()).map(Job::jobId).findFirst();
            if (job.isPresent()) {
                return job;
            }
        }
        return Optional.empty();
    }

    /**
     * Deletes terminal jobs (and their results) that completed more than {@code retention} ago.
     *
     * @return how many jobs were deleted
     */
    int pruneTerminal(Duration retention);
}
