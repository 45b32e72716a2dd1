package io.snowpack.core.memory;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.JobDraft;
import io.snowpack.core.spi.JobStore;
import io.snowpack.core.spi.JobTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The in-memory job table: immutable {@link Job} values replaced on every change. */
final class MemoryJobStore implements JobStore {
    static final Comparator<Job> NEWEST_FIRST =
            Comparator.comparing(Job::submittedAt).reversed().thenComparing(Job::jobId);

    private final Guard guard;
    private final MemoryTime time;
    private final Map<JobId, Job> jobs = new HashMap<>();

    MemoryJobStore(Guard guard, MemoryTime time) {
        this.guard = guard;
        this.time = time;
    }

    @Override
    public Job insert(JobDraft draft) {
        return guard.locked(() -> {
            if (jobs.containsKey(draft.jobId())) {
                throw new IllegalStateException("Job " + draft.jobId() + " already exists");
            }
            Job job = new Job(draft.jobId(), draft.table(), draft.actions(), draft.dryRun(), JobStatus.PENDING,
                    time.now(), null, null, List.of(), null, 0, draft.trigger());
            put(job);
            return job;
        });
    }

    @Override
    public Optional<Job> find(JobId jobId) {
        return guard.locked(() -> Optional.ofNullable(jobs.get(jobId)));
    }

    @Override
    public boolean transition(JobId jobId, JobStatus expected, JobTransition transition) {
        expected.checkTransitionTo(transition.target());
        return guard.locked(() -> {
            Job job = jobs.get(jobId);
            if (job == null || job.status() != expected) {
                return false;
            }
            put(apply(job, transition, time.now()));
            return true;
        });
    }

    /** The job after {@code transition}, with the times and fields the transition stamps. */
    static Job apply(Job job, JobTransition transition, Instant now) {
        JobStatus target = transition.target();
        Instant startedAt = job.startedAt();
        if (target == JobStatus.RUNNING && startedAt == null) {
            startedAt = now;
        }
        Instant completedAt = target.isTerminal() ? now : job.completedAt();
        String error = transition.error() != null ? transition.error() : job.error();
        int attempts = transition.attempts() >= 0 ? transition.attempts() : job.attempts();
        return new Job(job.jobId(), job.table(), job.actions(), job.dryRun(), target, job.submittedAt(), startedAt,
                completedAt, job.results(), error, attempts, job.trigger(), job.stopConfirmedAt());
    }

    @Override
    public boolean addResult(JobId jobId, ActionResult result) {
        java.util.Objects.requireNonNull(result, "result");
        return guard.locked(() -> {
            Job job = jobs.get(jobId);
            if (job == null || job.isTerminal()) {
                return false;
            }
            append(job, result);
            return true;
        });
    }

    @Override
    public boolean addLateResult(JobId jobId, ActionResult result) {
        java.util.Objects.requireNonNull(result, "result");
        return guard.locked(() -> {
            Job job = jobs.get(jobId);
            if (job == null) {
                return false;
            }
            append(job, result);
            return true;
        });
    }

    private void append(Job job, ActionResult result) {
        List<ActionResult> results = new ArrayList<>(job.results());
        results.add(result);
        put(job.withResults(results));
    }

    @Override
    public boolean confirmStop(JobId jobId) {
        return guard.locked(() -> {
            Job job = jobs.get(jobId);
            if (job == null || job.status() != JobStatus.CANCELLED || job.stopConfirmedAt() != null) {
                return false;
            }
            put(new Job(job.jobId(), job.table(), job.actions(), job.dryRun(), job.status(), job.submittedAt(),
                    job.startedAt(), job.completedAt(), job.results(), job.error(), job.attempts(), job.trigger(),
                    time.now()));
            return true;
        });
    }

    @Override
    public List<Job> list(JobQuery query) {
        return guard.locked(() -> jobs.values().stream()
                .filter(query::matches)
                .sorted(NEWEST_FIRST)
                .limit(query.limit())
                .toList());
    }

    @Override
    public Optional<Instant> lastCompletion(TableId table) {
        return guard.locked(() -> jobs.values().stream()
                .filter(job -> job.table().equals(table) && job.status() == JobStatus.COMPLETED && !job.dryRun())
                .map(Job::completedAt).filter(Objects::nonNull).max(Instant::compareTo));
    }

    @Override
    public Optional<JobId> unfinishedJob(TableId table) {
        return guard.locked(() -> jobs.values().stream()
                .filter(job -> job.table().equals(table) && !job.dryRun() && !job.isTerminal())
                .map(Job::jobId).findFirst());
    }

    @Override
    public int pruneTerminal(Duration retention) {
        return guard.locked(() -> {
            Instant cutoff = time.now().minus(retention);
            List<Job> old = jobs.values().stream()
                    .filter(job -> job.isTerminal() && job.completedAt() != null && job.completedAt().isBefore(cutoff))
                    .toList();
            old.forEach(job -> {
                jobs.remove(job.jobId());
                guard.onRollback(() -> jobs.put(job.jobId(), job));
            });
            return old.size();
        });
    }

    private void put(Job job) {
        Job previous = jobs.put(job.jobId(), job);
        guard.onRollback(() -> {
            if (previous == null) {
                jobs.remove(job.jobId());
            } else {
                jobs.put(job.jobId(), previous);
            }
        });
    }
}
