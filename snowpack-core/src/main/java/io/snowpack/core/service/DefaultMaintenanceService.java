package io.snowpack.core.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.snowpack.core.DrainModeException;
import io.snowpack.core.InvalidRequestException;
import io.snowpack.core.JobAlreadyTerminalException;
import io.snowpack.core.JobNotFoundException;
import io.snowpack.core.MaintenanceConflictException;
import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.OrchestratorRun;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.policy.MaintenancePlan;
import io.snowpack.core.policy.MaintenancePolicy;
import io.snowpack.core.spi.Admission;
import io.snowpack.core.spi.JobDraft;
import io.snowpack.core.spi.JobTransition;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.Stores;
import io.snowpack.core.spi.TableSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link MaintenanceService} over one {@link SnowpackStore}. */
final class DefaultMaintenanceService implements MaintenanceService {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultMaintenanceService.class);
    /** A cancel races at most a few status changes (pending -> running -> pending ...); more means a bug. */
    private static final int MAX_CANCEL_ATTEMPTS = 16;

    private final SnowpackStore store;
    private final SnowpackConfig config;
    private final DryRunner dryRunner;
    private final MaintenancePolicy policy;
    private final MaintenanceHistory history;
    private final MeterRegistry registry;
    private final TableSource tableSource;

    DefaultMaintenanceService(SnowpackStore store, MaintenanceExecutor executor, SnowpackConfig config,
            MaintenancePolicy policy, MeterRegistry registry, TableSource tableSource) {
        this.tableSource = tableSource;
        this.store = store;
        this.config = config;
        this.dryRunner = new DryRunner(executor);
        this.policy = policy;
        this.history = new MaintenanceHistory(store.jobs());
        this.registry = registry;
        for (JobTrigger trigger : JobTrigger.values()) { // at zero from the start, for rates and alerts
            conflicts(trigger);
        }
    }

    @Override
    public Job submit(MaintenanceRequest request) {
        if (config.drainMode()) {
            throw new DrainModeException();
        }
        // Drain mode is refused first (503 before 404, and before a catalog lookup caches the table). A cached
        // table's real job asks the store only once: the queueing itself refuses while drain mode is on.
        boolean cached = store.tables().get(request.table()).isPresent();
        if ((!cached || request.dryRun()) && store.settings().drainMode()) {
            throw new DrainModeException();
        }
        if (!cached) {
            fromCatalog(request.table());
        }
        JobDraft draft = new JobDraft(JobId.random(), request.table(), request.actions(), request.dryRun(),
                request.trigger());
        Job job;
        if (request.dryRun()) {
            job = submitDryRun(draft);
        } else {
            Admission admission = store.queueJobsUnlessDrained(List.of(draft), config.lockTtl()).get(0);
            if (!admission.isQueued()) {
                conflicted(request);
                throw conflict(admission);
            }
            job = admission.job();
        }
        accepted(request, job);
        return job;
    }

    @Override
    public List<Submission> submitAll(List<MaintenanceRequest> requests) {
        if (requests.size() > MAX_BATCH) {
            throw new InvalidRequestException("A batch holds at most " + MAX_BATCH + " requests, got "
                    + requests.size());
        }
        if (requests.isEmpty()) {
            return List.of();
        }
        if (drainMode()) {
            throw new DrainModeException();
        }
        Submission[] outcomes = new Submission[requests.size()];
        Map<Integer, JobDraft> toQueue = new LinkedHashMap<>();
        // One read of the table cache for the batch; a table it does not hold is looked up on its own (catalog).
        Map<TableId, TableHealth> cached = store.tables().getAll(requests.stream().map(MaintenanceRequest::table)
                .toList());
        for (int i = 0; i < requests.size(); i++) {
            MaintenanceRequest request = requests.get(i);
            JobDraft draft = new JobDraft(JobId.random(), request.table(), request.actions(), request.dryRun(),
                    request.trigger());
            try {
                if (!cached.containsKey(request.table())) {
                    fromCatalog(request.table());
                }
                if (request.dryRun()) {
                    outcomes[i] = Submission.accepted(request, submitDryRun(draft));
                } else {
                    toQueue.put(i, draft);
                }
            } catch (TableNotFoundException e) {
                outcomes[i] = Submission.refused(request, e);
            }
        }
        if (!toQueue.isEmpty()) {
            // One unit of work for every real job: a busy table is a refusal in the answer, not a rollback.
            List<Integer> positions = List.copyOf(toQueue.keySet());
            List<Admission> admissions = store.queueJobs(List.copyOf(toQueue.values()), config.lockTtl());
            for (int k = 0; k < positions.size(); k++) {
                int i = positions.get(k);
                Admission admission = admissions.get(k);
                outcomes[i] = admission.isQueued() ? Submission.accepted(requests.get(i), admission.job())
                        : Submission.refused(requests.get(i), conflict(admission));
            }
        }
        int accepted = 0;
        for (Submission outcome : outcomes) {
            if (outcome.isAccepted()) {
                accepted++;
                accepted(outcome.request(), outcome.job().orElseThrow());
            } else if (outcome.refusal().orElseThrow() instanceof MaintenanceConflictException) {
                conflicted(outcome.request());
            }
        }
        LOG.info("Accepted {} of a batch of {} requests", accepted, requests.size());
        return List.of(outcomes);
    }

    private static MaintenanceConflictException conflict(Admission busy) {
        return new MaintenanceConflictException(busy.draft().table().key(), busy.holder());
    }

    private void accepted(MaintenanceRequest request, Job job) {
        Counter.builder("snowpack.jobs.submitted")
                .description("Jobs accepted, by trigger and dry run")
                .tag("trigger", request.trigger().wireName())
                .tag("dry_run", Boolean.toString(request.dryRun()))
                .register(registry).increment();
        LOG.info("Accepted {} job {} for {}: {}", request.dryRun() ? "dry-run" : request.trigger().wireName(),
                job.jobId(), job.table(), job.actions());
    }

    private void conflicted(MaintenanceRequest request) {
        conflicts(request.trigger()).increment();
    }

    private Counter conflicts(JobTrigger trigger) {
        return Counter.builder("snowpack.lock.conflicts")
                .description("Submissions refused because another job holds the table's lock (409)")
                .tag("trigger", trigger.wireName())
                .register(registry);
    }

    private Job submitDryRun(JobDraft draft) {
        // Previews read the table: done before the transaction so no database transaction waits on storage.
        List<ActionResult> previews = dryRunner.preview(draft.table(), draft.actions());
        return store.inTransaction(stores -> {
            stores.jobs().insert(draft);
            stores.jobs().transition(draft.jobId(), JobStatus.PENDING, JobTransition.running(1));
            previews.forEach(result -> stores.jobs().addResult(draft.jobId(), result));
            Optional<String> failure = DryRunner.failureOf(previews);
            JobTransition end = failure.map(JobTransition::failed).orElseGet(JobTransition::completed);
            stores.jobs().transition(draft.jobId(), JobStatus.RUNNING, end);
            return stores.jobs().find(draft.jobId()).orElseThrow();
        });
    }

    @Override
    public Job get(JobId jobId) {
        return store.jobs().find(jobId).orElseThrow(() -> new JobNotFoundException(jobId.value()));
    }

    @Override
    public Job cancel(JobId jobId) {
        for (int attempt = 0; attempt < MAX_CANCEL_ATTEMPTS; attempt++) {
            Job job = get(jobId);
            if (job.isTerminal()) {
                throw new JobAlreadyTerminalException(jobId.value(), job.status().wireName());
            }
            Optional<Job> cancelled;
            try {
                cancelled = store.inTransaction(stores -> cancelIfStill(stores, job));
            } catch (MovedOn e) {
                cancelled = Optional.empty();
            }
            if (cancelled.isPresent()) {
                LOG.info("Cancelled job {} for {} (was {})", jobId, job.table(), job.status().wireName());
                return cancelled.get();
            }
            // The job changed status between the read and the write: read it again and decide anew.
        }
        throw new IllegalStateException("Job " + jobId + " kept changing status; cancel gave up after "
                + MAX_CANCEL_ATTEMPTS + " attempts");
    }

    /**
     * Cancels {@code job} when it is still in the status it was read in; empty when it moved on. Removing the
     * queue row revokes a running worker's fence at once; a pending job's table lock is released with it, but a
     * running job's lock stays with the cancelled job until its worker confirms it stopped (or the lock expires):
     * no catalog can check our fence inside its commit, so a commit already in flight may still land, and no other
     * job may start on the table meanwhile. The queue row is locked before the job row, in the order every claim and
     * settle takes them, so a cancel and a claim of the same job never deadlock.
     */
    private static Optional<Job> cancelIfStill(Stores stores, Job job) {
        stores.queue().remove(job.jobId());
        if (!stores.jobs().transition(job.jobId(), job.status(), JobTransition.cancelled())) {
            throw new MovedOn(); // undoes the removal: the job is read again and the cancel decided anew
        }
        if (job.status() == JobStatus.PENDING) {
            stores.locks().releaseIfHeldBy(job.table().key(), job.jobId().value());
        }
        return stores.jobs().find(job.jobId());
    }

    /** The job left the status a cancel read it in before the cancel could write. */
    private static final class MovedOn extends RuntimeException {
        MovedOn() {
            super("the job changed status", null, false, false);
        }
    }

    @Override
    public List<Job> list(JobQuery query) {
        return store.jobs().list(query);
    }

    /** The cached health, else (with a table source) the live health, now cached; else not found. */
    private TableHealth knownHealth(TableId table) {
        Optional<TableHealth> cached = store.tables().get(table);
        return cached.isPresent() ? cached.get() : fromCatalog(table);
    }

    /** A table the cache does not hold: (with a table source) its live health, now cached; else not found. */
    private TableHealth fromCatalog(TableId table) {
        if (tableSource == null) {
            throw new TableNotFoundException(table.key());
        }
        TableHealth live;
        try {
            live = tableSource.health(table);
        } catch (TableNotFoundException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("{} is not in the table cache and reading it from the catalog failed: {}", table.key(),
                    e.toString());
            TableNotFoundException notFound = new TableNotFoundException(table.key());
            notFound.addSuppressed(e);
            throw notFound;
        }
        store.tables().upsert(live);
        LOG.info("{} was not in the table cache yet: read from the catalog and cached", table.key());
        return live;
    }

    @Override
    public MaintenancePlan plan(TableId table) {
        TableHealth health = knownHealth(table);
        Instant now = store.now();
        MaintenancePlan plan = policy.plan(health, history.lastMaintained(table), now);
        List<String> reasons = new ArrayList<>();
        reasons.add("health as of " + health.syncedAt() + " (" + Duration.between(health.syncedAt(), now).toMinutes()
                + " min old)");
        reasons.addAll(plan.reasons());
        if (plan.submits()) {
            if (drainMode()) {
                reasons.add("not submitted now: drain mode is on");
            }
            store.locks().current(table.key()).ifPresent(lease -> reasons.add("not submitted now: job "
                    + lease.holder() + " holds the table's lock since " + lease.acquiredAt()
                    + " (the orchestrator counts it as in_progress)"));
        }
        return new MaintenancePlan(plan.table(), plan.skippedBy(), plan.actions(), reasons, plan.executor());
    }

    @Override
    public List<OrchestratorRun> orchestratorRuns(int limit) {
        return store.orchestratorRuns().recent(limit);
    }

    @Override
    public boolean drainMode() {
        return DrainMode.isOn(config, store);
    }

    @Override
    public void setDrainMode(boolean enabled) {
        store.settings().setDrainMode(enabled);
        LOG.warn("Drain mode turned {}{}", enabled ? "on" : "off",
                !enabled && config.drainMode() ? " in the store, but configuration keeps it on for this process" : "");
    }
}
