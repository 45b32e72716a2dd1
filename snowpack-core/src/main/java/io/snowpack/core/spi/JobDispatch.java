package io.snowpack.core.spi;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store-neutral way to claim-and-start and to complete jobs, in terms of the single-store SPIs: what
 * {@link SnowpackStore#claimAndStart} and {@link SnowpackStore#completeJobs} do unless a backend does it in fewer
 * round trips. A backend with its own fast path hands the claims it could not start there to
 * {@link #startClaimed}, which settles every case the same way on every backend.
 */
public final class JobDispatch {
    private static final Logger LOG = LoggerFactory.getLogger(JobDispatch.class);

    private JobDispatch() {
    }

    /** Tries of one start before its claim is left to the sweeper. */
    private static final int START_TRIES = 3;

    /**
     * Claims up to {@code max} rows, then starts each claimed job in its own unit of work. A start the backend
     * fails is tried again (a try whose answer was lost may have started the job: the next try carries on from
     * there); one that keeps failing is handed back to the queue, or left to the sweeper when that fails too.
     */
    static List<StartedJob> claimThenStart(SnowpackStore store, String workerId, int max, Duration lockTtl) {
        List<StartedJob> started = new ArrayList<>();
        for (Claim claim : store.queue().claim(workerId, max)) {
            startWithRetries(store, claim, lockTtl).ifPresent(started::add);
        }
        return started;
    }

    /**
     * Starts a job whose queue row {@code claim} holds, in its own unit of work, as {@link SnowpackStore#claimAndStart}
     * does: empty when the job was not pending any more (its row is completed) or lost its table lock (it fails), or
     * when the backend kept failing (the job is handed back to the queue, or left to the sweeper).
     */
    public static Optional<StartedJob> startClaimed(SnowpackStore store, Claim claim, Duration lockTtl) {
        return startWithRetries(store, claim, lockTtl);
    }

    private static Optional<StartedJob> startWithRetries(SnowpackStore store, Claim claim, Duration lockTtl) {
        for (int tryNumber = 1; ; tryNumber++) {
            try {
                return store.inTransaction(stores -> start(stores, claim, lockTtl));
            } catch (RuntimeException e) {
                if (tryNumber >= START_TRIES) {
                    LOG.warn("Starting job {} failed {} times ({}); handing it back", claim.jobId(), tryNumber,
                            e.toString());
                    handBackQuietly(store, claim);
                    return Optional.empty();
                }
                try {
                    Thread.sleep(100L * tryNumber);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    handBackQuietly(store, claim);
                    return Optional.empty();
                }
            }
        }
    }

    private static void handBackQuietly(SnowpackStore store, Claim claim) {
        try {
            store.inTransaction(stores -> {
                if (stores.queue().release(claim)) {
                    stores.jobs().transition(claim.jobId(), JobStatus.RUNNING,
                            JobTransition.retry("the worker could not start it"));
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("Job {} could not be handed back either ({}); the sweeper will reclaim it", claim.jobId(),
                    e.toString());
        }
    }

    /**
     * In the caller's unit of work: confirms the claim, renews or re-takes the table lock and marks the job running.
     * A job that is no longer pending (cancelled, unknown) has its row completed; a job whose table lock another
     * holder took meanwhile fails, with the holder named. Either way it is not started.
     */
    static Optional<StartedJob> start(Stores stores, Claim claim, Duration lockTtl) {
        if (!stores.queue().heartbeat(claim)) {
            return Optional.empty();
        }
        Optional<Job> found = stores.jobs().find(claim.jobId());
        // A try of this very start whose answer was lost: the job runs on this claim's attempt already.
        boolean startedByALostTry = found.isPresent() && found.get().status() == JobStatus.RUNNING
                && found.get().attempts() == claim.attempts();
        if (found.isEmpty() || (found.get().status() != JobStatus.PENDING && !startedByALostTry)) {
            stores.queue().complete(claim);
            LOG.info("Job {} was {} when claimed: not started", claim.jobId(),
                    found.map(job -> job.status().wireName()).orElse("gone"));
            return Optional.empty();
        }
        Job job = found.get();
        String key = job.table().key();
        Optional<Lease> lease = renewOrTakeLock(stores.locks(), key, job.jobId().value(), lockTtl);
        if (lease.isEmpty()) {
            String holder = stores.locks().current(key).map(Lease::holder).orElse("unknown");
            stores.queue().complete(claim);
            stores.jobs().transition(job.jobId(), job.status(), JobTransition.failed(lockLost(key, holder)));
            LOG.warn("Job {} failed before it started: {}", job.jobId(), lockLost(key, holder));
            return Optional.empty();
        }
        if (!startedByALostTry) {
            stores.jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.running(claim.attempts()));
        }
        return Optional.of(new StartedJob(claim, stores.jobs().find(job.jobId()).orElseThrow(), lease.get()));
    }

    static String lockLost(String key, String holder) {
        return "Table lock of " + key + " was lost to " + holder + " before the job started";
    }

    /**
     * The job's table lock, renewed to a full TTL (it may have expired while the job waited in the queue), or taken
     * again when it was released meanwhile. The sweeper may re-take an expired lock for a waiting job with a new
     * fence at any moment, so a renewal refused for a lease still held by this job is tried once more on the lease
     * as it is now.
     */
    private static Optional<Lease> renewOrTakeLock(LockManager locks, String key, String holder, Duration ttl) {
        for (int look = 0; look < 2; look++) {
            Optional<Lease> current = locks.current(key);
            Optional<Lease> ours = current.isPresent() && current.get().holder().equals(holder)
                    ? locks.renew(current.get(), ttl)
                    : locks.tryAcquire(key, holder, ttl);
            if (ours.isPresent()) {
                return ours;
            }
        }
        return Optional.empty();
    }

    /** Queues every draft whose table is free, in one unit of work; see {@link SnowpackStore#queueJobs}. */
    static List<Admission> queue(SnowpackStore store, List<JobDraft> drafts, Duration lockTtl) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        return store.inTransaction(stores -> {
            List<Admission> admissions = new ArrayList<>(drafts.size());
            for (JobDraft draft : drafts) {
                admissions.add(queueOne(stores, draft, lockTtl));
            }
            return admissions;
        });
    }

    /**
     * In the caller's unit of work. The unfinished-job check comes first: a job that waited in the queue longer than
     * the lock TTL has an expired lease the sweeper has not re-taken yet, which the lock alone would let a new job
     * take.
     */
    private static Admission queueOne(Stores stores, JobDraft draft, Duration lockTtl) {
        Optional<JobId> unfinished = stores.jobs().unfinishedJob(draft.table());
        if (unfinished.isPresent()) {
            return Admission.busy(draft, unfinished.get().value());
        }
        String key = draft.table().key();
        if (stores.locks().tryAcquire(key, draft.jobId().value(), lockTtl).isEmpty()) {
            return Admission.busy(draft, stores.locks().current(key).map(Lease::holder).orElse(null));
        }
        Job job = stores.jobs().insert(draft);
        stores.queue().enqueue(draft.jobId(), Duration.ZERO);
        return Admission.queued(draft, job);
    }

    /** Completes every job whose claim is current, in one unit of work. */
    static Set<JobId> complete(SnowpackStore store, Collection<Completion> completions) {
        if (completions.isEmpty()) {
            return Set.of();
        }
        Map<JobId, Completion> byJob = completions.stream()
                .collect(Collectors.toMap(c -> c.claim().jobId(), Function.identity(), (a, b) -> {
                    throw new IllegalArgumentException("two completions of job " + a.claim().jobId());
                }));
        return store.inTransaction(stores -> {
            Set<JobId> removed = stores.queue().completeAll(completions.stream().map(Completion::claim).toList());
            Set<JobId> completed = new LinkedHashSet<>();
            for (JobId jobId : removed) {
                Completion completion = byJob.get(jobId);
                for (ActionResult result : completion.results()) {
                    stores.jobs().addResult(jobId, result);
                }
                if (stores.jobs().transition(jobId, JobStatus.RUNNING, JobTransition.completed())) {
                    completed.add(jobId);
                }
                stores.locks().release(completion.lease());
            }
            return completed;
        });
    }
}
