package io.snowpack.core.worker;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.BackendException;
import io.snowpack.core.FenceRevokedException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.Completion;
import io.snowpack.core.spi.JobTransition;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.StartedJob;
import io.snowpack.core.spi.StopRequestedException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one started job: its actions in order with the fence checked between units of work, each result recorded as
 * its action ends (the last one with the settle), then the job settled (complete, retry, postpone or fail) in one
 * transaction whose every write is fenced. A revoked fence stops it before the next unit of work, with nothing more written. An
 * action that could not reach the catalog or object store ({@link ActionFailedException#isUnavailable()}) costs
 * the job nothing: no failed result, no attempt; the job waits in the queue for the {@link OutagePause}.
 */
final class JobRun {
    private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);

    private final SnowpackStore store;
    private final MaintenanceExecutor executor;
    private final SnowpackConfig config;
    private final RetryBackoff backoff;
    private final WorkerMetrics metrics;
    private final SettleRetry settleRetry;
    private final OutagePause outagePause;

    JobRun(SnowpackStore store, MaintenanceExecutor executor, SnowpackConfig config, RetryBackoff backoff,
           WorkerMetrics metrics, SettleRetry settleRetry, OutagePause outagePause) {
        this.store = store;
        this.executor = executor;
        this.config = config;
        this.backoff = backoff;
        this.metrics = metrics;
        this.settleRetry = settleRetry;
        this.outagePause = outagePause;
    }

    /**
     * The fence of a job that {@link SnowpackStore#claimAndStart} just started; {@code confirmedAtNanos} is when the
     * claim was sent.
     */
    Fence fence(StartedJob started, long confirmedAtNanos) {
        return new Fence(store, started.claim(), started.lease(), config.lockTtl(),
                config.staleClaimThreshold().minus(config.heartbeatInterval()), config.heartbeatInterval(),
                confirmedAtNanos);
    }

    /** Runs a started job to its end under {@code fence} (from {@link #fence}) on this thread: acts, then settles. */
    JobOutcome run(StartedJob started, Fence fence) {
        return settle(act(started, fence));
    }

    /**
     * Runs the job's actions under {@code fence} (from {@link #fence}) and returns what is left to do: its settle. A
     * job asked to stop before it began runs no action and is to be handed back. The caller (a runner) holds one of
     * the worker's {@code slots} for this call only, so the next job runs while this one's outcome is written.
     */
    EndedJob act(StartedJob started, Fence fence) {
        Job job = started.job();
        return withMdc(job, () -> {
            long begin = System.nanoTime();
            if (fence.isStopRequested()) { // asked to stop while it waited for a slot: it goes back without running
                return ending(started, fence, begin, () -> handBack(job, fence));
            }
            metrics.started();
            try {
                LOG.info("Started job {} on {} (attempt {} of {}): {}", job.jobId(), job.table(),
                        started.claim().attempts(), config.maxAttempts(), job.actions());
                return runActions(started, fence, begin);
            } finally {
                metrics.finished();
            }
        });
    }

    /**
     * Settles a job whose actions ended, here and now. A database error is retried while the claim may still be ours
     * ({@link SettleRetry}); past that it propagates and the sweeper takes the job over.
     */
    JobOutcome settle(EndedJob ended) {
        return withMdc(ended.job(), () -> ended(ended, ended.completes() ? complete(ended) : ended.settle.get()));
    }

    /**
     * The completion to write for a job whose actions all ended well ({@link EndedJob#completes()}), for a batch of
     * completions; the job counts as settling from here on.
     */
    Completion completion(EndedJob ended) {
        ended.fence.markSettling();
        return ended.completion();
    }

    /** A job whose {@link #completion} a batch wrote: its outcome is recorded, with no database call. */
    JobOutcome completedInBatch(EndedJob ended) {
        return withMdc(ended.job(), () -> ended(ended, JobOutcome.COMPLETED));
    }

    /**
     * A job whose {@link #completion} a batch did not write: refused ({@code failure} is {@code null}; its claim was
     * revoked, unless a try whose answer was lost had completed it) or failed with the batch, which counts as its first
     * failed try: it is completed again on its own, as {@link #settle} would.
     */
    JobOutcome settleAfterBatch(EndedJob ended, RuntimeException failure) {
        return withMdc(ended.job(), () -> {
            boolean completed = false;
            if (failure != null) {
                if (!(failure instanceof BackendException)) {
                    throw failure;
                }
                LOG.warn("Completing job {} in a batch failed; completing it on its own: {}", ended.job().jobId(),
                        failure.toString());
                completed = completeAlone(ended);
            }
            return ended(ended, afterCompleting(ended, completed));
        });
    }

    /** Records how the job ended: metrics, the log, and the outage pause when the services answered. */
    private JobOutcome ended(EndedJob ended, JobOutcome outcome) {
        Job job = ended.job();
        if (outcome == JobOutcome.COMPLETED || outcome == JobOutcome.RETRY_SCHEDULED || outcome == JobOutcome.FAILED) {
            outagePause.reachable("job " + job.jobId() + " " + outcome.name().toLowerCase(Locale.ROOT));
        }
        long elapsed = System.nanoTime() - ended.beganAtNanos;
        metrics.jobEnded(job, outcome, elapsed);
        LOG.info("Job {} ended: {} after {} ms", job.jobId(), outcome, elapsed / 1_000_000);
        return outcome;
    }

    /** Runs {@code work} with the job's {@code job_id} and {@code table} in the MDC, on whichever thread this is. */
    private static <T> T withMdc(Job job, Supplier<T> work) {
        MDC.put("job_id", job.jobId().value());
        MDC.put("table", job.table().key());
        try {
            return work.get();
        } finally {
            MDC.remove("job_id");
            MDC.remove("table");
        }
    }

    /**
     * A started job whose actions ended, or that never ran them: what is left is its settle. Either every action
     * ended well ({@link #completes()}: the job completes, with the last action's result), or {@code settle} writes
     * its other outcome (retry, failure, postponement, hand-back) or returns the outcome already written.
     */
    static final class EndedJob {
        private final StartedJob started;
        private final Fence fence;
        private final long beganAtNanos;
        /** {@code null} when the job completes. */
        private final Supplier<JobOutcome> settle;
        /** The last action's request and result, when the job completes; either may be {@code null}. */
        private final ActionRequest last;
        private final ActionResult lastResult;

        private EndedJob(StartedJob started, Fence fence, long beganAtNanos, Supplier<JobOutcome> settle,
                         ActionRequest last, ActionResult lastResult) {
            this.started = started;
            this.fence = fence;
            this.beganAtNanos = beganAtNanos;
            this.settle = settle;
            this.last = last;
            this.lastResult = lastResult;
        }

        Job job() {
            return started.job();
        }

        /** Whether every action ended well: the job is to be completed. */
        boolean completes() {
            return settle == null;
        }

        private Completion completion() {
            return new Completion(fence.claim(), fence.lease(), lastResult == null ? List.of() : List.of(lastResult));
        }
    }

    /**
     * Runs the job's actions; returns how to settle it, which the caller does once the execution slot is free. A
     * revoked job is dealt with here, in its slot, since that asks the executor what the attempt committed.
     * {@code jobBegan} is when the job began, for its duration.
     */
    private EndedJob runActions(StartedJob started, Fence fence, long jobBegan) {
        Job job = started.job();
        Set<MaintenanceAction> done = job.results().stream().filter(ActionResult::success)
                .map(ActionResult::action).collect(Collectors.toSet());
        List<MaintenanceAction> toRun = job.actions().stream().filter(action -> !done.contains(action)).toList();
        if (toRun.size() < job.actions().size()) {
            LOG.info("Skipping {}: succeeded in an earlier attempt", job.actions().stream().filter(done::contains)
                    .toList());
        }
        ActionRequest last = null;
        ActionResult lastResult = null;
        for (int i = 0; i < toRun.size(); i++) {
            MaintenanceAction action = toRun.get(i);
            long begin = System.nanoTime();
            ActionResult result;
            ActionRequest request = new ActionRequest(job.jobId(), job.table(), action, fence.claim().attempts(),
                    fence.claim().fence());
            try {
                fence.checkRecent();
                result = executor.execute(request, fence);
            } catch (FenceRevokedException e) {
                metrics.actionEnded(action, "revoked", System.nanoTime() - begin);
                return ending(started, fence, jobBegan, settled(revokedDuring(job, request, null, e.getMessage())));
            } catch (StopRequestedException e) {
                metrics.actionEnded(action, "handed_back", System.nanoTime() - begin);
                return ending(started, fence, jobBegan, () -> handBack(job, fence));
            } catch (RuntimeException e) {
                RuntimeException signal = Checkpoint.signalIn(e);
                if (signal != null) { // an executor wrapped a checkpoint signal: honour it all the same
                    LOG.warn("The executor wrapped a checkpoint signal in {}; executors must rethrow it unchanged",
                            e.getClass().getName());
                    metrics.actionEnded(action, signal instanceof StopRequestedException ? "handed_back" : "revoked",
                            System.nanoTime() - begin);
                    return ending(started, fence, jobBegan, signal instanceof StopRequestedException
                            ? () -> handBack(job, fence)
                            : settled(revokedDuring(job, request, null, signal.getMessage())));
                }
                if (e instanceof ActionFailedException failure && failure.isUnavailable()) {
                    metrics.actionEnded(action, "unavailable", System.nanoTime() - begin);
                    return ending(started, fence, jobBegan, () -> postpone(job, fence, failure));
                }
                boolean transientFailure = e instanceof ActionFailedException failure ? failure.isTransient()
                        : e instanceof BackendException;
                metrics.actionEnded(action, transientFailure ? "transient_failure" : "failure",
                        System.nanoTime() - begin);
                String error = action.wireName() + " failed: " + (e.getMessage() != null ? e.getMessage() : e);
                LOG.warn("{} ({})", error, transientFailure ? "transient" : "permanent", e);
                ActionResult failed = ActionResult.failed(action, error, (System.nanoTime() - begin) / 1e9, Map.of());
                return ending(started, fence, jobBegan, () -> settleFailure(job, fence, failed, transientFailure));
            }
            metrics.actionEnded(action, "success", System.nanoTime() - begin);
            metrics.rewrote(job, result);
            LOG.info("{} finished in {} s: {} {}", action, result.elapsedSeconds(), result.message(),
                    result.metrics());
            if (i == toRun.size() - 1) {
                last = request;
                lastResult = result; // recorded with the settle, in the same transaction
            } else if (!recordResult(job, fence, result)) {
                return ending(started, fence, jobBegan, settled(revokedDuring(job, request, result,
                        "the claim was revoked before the result could be recorded")));
            }
        }
        return new EndedJob(started, fence, jobBegan, null, last, lastResult);
    }

    private static EndedJob ending(StartedJob started, Fence fence, long begin, Supplier<JobOutcome> settle) {
        return new EndedJob(started, fence, begin, settle, null, null);
    }

    /** A settle already done: the job's outcome, written while it held its slot. */
    private static Supplier<JobOutcome> settled(JobOutcome outcome) {
        return () -> outcome;
    }

    /**
     * Settles a job whose actions all ended well, with the last action's result, in one fenced transaction. Refused:
     * the claim was revoked meanwhile, and what the last action committed is recorded as a late result; unless a try
     * whose answer was lost had completed the job already.
     */
    private JobOutcome complete(EndedJob ended) {
        ended.fence.markSettling();
        return afterCompleting(ended, completeAlone(ended));
    }

    private boolean completeAlone(EndedJob ended) {
        Completion completion = ended.completion();
        return settleRetry.run("Completing job " + ended.job().jobId(), ended.fence::confirmedAtNanos,
                () -> store.completeJobs(List.of(completion)).contains(completion.claim().jobId()));
    }

    private JobOutcome afterCompleting(EndedJob ended, boolean completed) {
        Job job = ended.job();
        if (completed || completedByALostTry(job, ended.lastResult)) {
            return JobOutcome.COMPLETED;
        }
        return ended.last != null ? revokedDuring(job, ended.last, ended.lastResult, "the claim was revoked before "
                + "the job could be settled") : revoked(ended.fence.claim(), "the claim was revoked before the job "
                + "could be settled");
    }

    private boolean completedByALostTry(Job job, ActionResult lastResult) {
        try {
            return store.jobs().find(job.jobId())
                    .filter(now -> now.status() == JobStatus.COMPLETED)
                    .filter(now -> lastResult == null || now.results().contains(lastResult))
                    .isPresent();
        } catch (RuntimeException e) {
            LOG.warn("Job {}: could not read whether it completed ({})", job.jobId(), e.toString());
            return false;
        }
    }

    /**
     * Writes one result, fenced: refused (and nothing written) once the claim is revoked. A try whose answer was
     * lost may have written it already: a retry does not write it twice.
     */
    private boolean recordResult(Job job, Fence fence, ActionResult result) {
        boolean[] tried = {false};
        try {
            return settleRetry.run("Recording the " + result.action() + " result of job " + job.jobId(),
                    fence::confirmedAtNanos, () -> store.inTransaction(stores -> {
                        if (!stores.queue().heartbeat(fence.claim())) {
                            throw new RevokedWhileSettling();
                        }
                        boolean retry = tried[0];
                        tried[0] = true;
                        if (retry && stores.jobs().find(job.jobId()).map(Job::results)
                                .filter(results -> results.contains(result)).isPresent()) {
                            return true;
                        }
                        return stores.jobs().addResult(job.jobId(), result);
                    }));
        } catch (RevokedWhileSettling e) {
            return false;
        }
    }

    private JobOutcome settleFailure(Job job, Fence fence, ActionResult failed, boolean transientFailure) {
        int attempt = fence.claim().attempts();
        boolean retry = transientFailure && attempt < config.maxAttempts();
        Duration delay = backoff.delayAfter(attempt);
        JobOutcome outcome = settle(fence, () -> {
            store.jobs().addResult(job.jobId(), failed);
            if (retry) {
                store.jobs().transition(job.jobId(), JobStatus.RUNNING, JobTransition.retry(failed.error()));
                return JobOutcome.RETRY_SCHEDULED;
            }
            String why = transientFailure ? failed.error() + " (attempt " + attempt + " of " + config.maxAttempts()
                    + ", giving up)" : failed.error();
            store.jobs().transition(job.jobId(), JobStatus.RUNNING, JobTransition.failed(why));
            return JobOutcome.FAILED;
        }, retry ? delay : null);
        if (outcome == JobOutcome.RETRY_SCHEDULED) {
            metrics.retried();
            LOG.info("Job {} will be retried in {} s", job.jobId(), delay.toSeconds());
        }
        return outcome;
    }

    /**
     * The catalog or object store could not be reached: the job goes back to pending with why it waits, its queue
     * row is postponed for the worker's outage pause, the attempt does not count and no failed result is recorded
     * (results of actions that succeeded before stay, so they are not run again). The table lock stays with the
     * job, as for a retry.
     */
    private JobOutcome postpone(Job job, Fence fence, ActionFailedException failure) {
        String cause = failure.getMessage() != null ? failure.getMessage() : failure.toString();
        Duration delay = outagePause.unreachable(cause);
        LOG.warn("Job {} on {} waits for the catalog or object store, which could not be reached: {}; back in the "
                + "queue for {} ms, the attempt does not count", job.jobId(), job.table(), cause, delay.toMillis());
        return settleWith(fence, () -> {
            if (!store.queue().postpone(fence.claim(), delay)) {
                throw new RevokedWhileSettling();
            }
            store.jobs().transition(job.jobId(), JobStatus.RUNNING,
                    JobTransition.retry("waiting for the catalog or object store: " + cause));
            return JobOutcome.POSTPONED;
        });
    }

    private JobOutcome handBack(Job job, Fence fence) {
        return settleWith(fence, () -> {
            if (!store.queue().release(fence.claim())) {
                throw new RevokedWhileSettling();
            }
            store.jobs().transition(job.jobId(), JobStatus.RUNNING, JobTransition.retry("worker shut down"));
            return JobOutcome.HANDED_BACK;
        });
    }

    /**
     * Settles the job in one transaction: the queue row is completed (or retried after {@code retryDelay})
     * with the fence in its {@code WHERE} clause first; when that is refused, nothing else is written.
     */
    private JobOutcome settle(Fence fence, Supplier<JobOutcome> writes,
                              Duration retryDelay) {
        return settleWith(fence, () -> {
            boolean held = retryDelay != null ? store.queue().retry(fence.claim(), retryDelay)
                    : store.queue().complete(fence.claim());
            if (!held) {
                throw new RevokedWhileSettling();
            }
            JobOutcome outcome = writes.get();
            if (outcome != JobOutcome.RETRY_SCHEDULED) {
                store.locks().release(fence.lease());
            }
            return outcome;
        });
    }

    private JobOutcome settleWith(Fence fence, Supplier<JobOutcome> work) {
        fence.markSettling();
        try {
            return settleRetry.run("Settling job " + fence.claim().jobId(), fence::confirmedAtNanos,
                    () -> store.inTransaction(stores -> work.get()));
        } catch (RevokedWhileSettling e) {
            return revoked(fence.claim(), "the claim was revoked before the job could be settled");
        }
    }

    /**
     * The fence was revoked while {@code request}'s action ran. Whatever it committed anyway (its result, when it
     * returned one; else what the executor finds in the table for this attempt) is recorded on the job as a late
     * result, so no commit goes unrecorded. When the job was cancelled, this worker confirms that it stopped and
     * gives the table lock up, which cancel left in place while a commit of this attempt might still land.
     */
    private JobOutcome revokedDuring(Job job, ActionRequest request, ActionResult finished, String why) {
        try {
            ActionResult committed = finished != null ? finished : executor.committedBy(request).orElse(null);
            if (committed != null) {
                ActionResult late = new ActionResult(committed.action(), committed.success(),
                        "After the fence was revoked: " + committed.message(), committed.error(),
                        committed.elapsedSeconds(), committed.metrics());
                store.jobs().addLateResult(job.jobId(), late);
                LOG.warn("Job {}: {} committed although the fence was revoked ({}); recorded on the job",
                        job.jobId(), request.action(), committed.message());
            }
            Job now = store.jobs().find(job.jobId()).orElse(job);
            if (now.status() == JobStatus.CANCELLED) {
                store.inTransaction(stores -> {
                    stores.jobs().confirmStop(job.jobId());
                    stores.locks().releaseIfHeldBy(job.table().key(), job.jobId().value());
                    return null;
                });
                LOG.info("Job {} was cancelled: its worker stopped, table {} is free", job.jobId(), job.table());
            }
        } catch (RuntimeException e) {
            LOG.warn("Job {}: could not record what the revoked attempt did ({}); the lock expires on its own",
                    job.jobId(), e.toString());
        }
        return revoked(request.jobId(), why);
    }

    private JobOutcome revoked(Claim claim, String why) {
        return revoked(claim.jobId(), why);
    }

    private JobOutcome revoked(io.snowpack.core.model.JobId jobId, String why) {
        metrics.revoked();
        LOG.warn("Stopped job {}: {}; nothing more is written for it", jobId, why);
        return JobOutcome.REVOKED;
    }

    /** Rolls a settling transaction back when the fence turned out to be revoked. */
    private static final class RevokedWhileSettling extends RuntimeException {
        RevokedWhileSettling() {
            super("fence revoked", null, false, false);
        }
    }
}
