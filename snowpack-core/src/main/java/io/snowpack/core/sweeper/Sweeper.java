package io.snowpack.core.sweeper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.leader.Leadership;
import io.snowpack.core.leader.LeadershipLostException;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.schedule.PeriodicTask;
import io.snowpack.core.service.DrainMode;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.JobTransition;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.Stores;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code reclaim_stale} sweeper. Each run, on the leader only and not in drain mode: claims not
 * heartbeated within the stale threshold go back to the queue with their fence revoked (or their job fails
 * past {@code max_attempts}); expired table locks are released, except that a job still waiting in the queue
 * keeps its table; pending jobs without a queue row are failed with a clear error; terminal jobs and health
 * snapshots past the retention are pruned. Every figure is logged and counted.
 *
 * <p>Every write goes through {@link Leadership#whileLeading}: with a {@code LeaderElection} it is fenced by the
 * leader lease, so a leader deposed since it last looked (paused, starved, cut off) reclaims, fails and releases
 * nothing; its sweep stops there.
 */
public final class Sweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
    /** Pending jobs checked for a queue row per run. */
    static final int CONSISTENCY_BATCH = JobQuery.MAX_LIMIT;

    private final SnowpackStore store;
    private final SnowpackConfig config;
    private final Leadership leadership;
    private final MeterRegistry registry;
    private final PeriodicTask loop = new PeriodicTask("The sweeper");

    private Sweeper(Builder b) {
        store = Objects.requireNonNull(b.store, "store");
        config = b.config;
        leadership = b.leadership;
        registry = b.meterRegistry;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One sweep. */
    public SweepReport runOnce() {
        if (!leadership.isLeader()) {
            return SweepReport.skipped("not leader");
        }
        if (DrainMode.isOn(config, store)) {
            LOG.info("Sweeper paused: drain mode is on");
            return SweepReport.skipped("drain mode");
        }
        try {
            return sweep();
        } catch (LeadershipLostException e) {
            LOG.warn("Sweep stopped, nothing more written: {}", e.getMessage());
            return SweepReport.skipped("lost the lead");
        }
    }

    private SweepReport sweep() {
        long start = System.nanoTime();
        int[] reclaim = leadership.whileLeading(store, this::reclaimStaleClaims);
        int[] locks = leadership.whileLeading(store, this::settleExpiredLocks);
        int orphaned = failPendingJobsWithoutQueueRow();
        int jobsPruned = leadership.whileLeading(store, s -> s.jobs().pruneTerminal(config.jobRetention()));
        int snapshotsPruned = leadership.whileLeading(store, s -> s.tables().pruneHistory(config.jobRetention()));
        int runsPruned = leadership.whileLeading(store, s -> s.orchestratorRuns().prune(config.jobRetention()));
        SweepReport report = new SweepReport(null, reclaim[0], reclaim[1] + orphaned, locks[0], locks[1], jobsPruned,
                snapshotsPruned, runsPruned, Duration.ofNanos(System.nanoTime() - start));
        record(report);
        return report;
    }

    /** "90 s", "30 min 30 s", "2 h": never "0 minutes". */
    static String describe(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 120) {
            return seconds + " s";
        }
        StringBuilder text = new StringBuilder();
        if (seconds >= 3600) {
            text.append(seconds / 3600).append(" h ");
        }
        if (seconds % 3600 >= 60) {
            text.append(seconds % 3600 / 60).append(" min ");
        }
        if (seconds % 60 > 0) {
            text.append(seconds % 60).append(" s");
        }
        return text.toString().trim();
    }

    /** Returns {reclaimed, failed}. */
    private int[] reclaimStaleClaims(Stores stores) {
        int reclaimed = 0;
        int failed = 0;
        // One heartbeat interval of grace past the threshold: a worker starts no work (no commit) on a claim it
        // confirmed more than the threshold less one interval ago, so what it started in time can still land.
        Duration after = config.staleClaimThreshold().plus(config.heartbeatInterval());
        for (Claim claim : stores.queue().reclaimStale(after)) {
            String why = "no heartbeat from worker " + claim.workerId() + " for over " + describe(after)
                    + " (attempt " + claim.attempts() + " of " + config.maxAttempts() + ")";
            Optional<Job> job = stores.jobs().find(claim.jobId());
            if (claim.attempts() >= config.maxAttempts() || job.isEmpty()) {
                stores.queue().remove(claim.jobId());
                job.filter(j -> !j.isTerminal()).ifPresent(j -> {
                    stores.jobs().transition(j.jobId(), j.status(), JobTransition.failed("Abandoned: " + why));
                    stores.locks().releaseIfHeldBy(j.table().key(), j.jobId().value());
                });
                failed++;
                LOG.warn("Failed job {}: {}", claim.jobId(), why);
            } else {
                if (job.get().status() == JobStatus.RUNNING) {
                    stores.jobs().transition(claim.jobId(), JobStatus.RUNNING, JobTransition.retry("Reclaimed: " + why));
                }
                reclaimed++;
                LOG.warn("Reclaimed job {}: {}", claim.jobId(), why);
            }
        }
        return new int[] {reclaimed, failed};
    }

    /** Returns {released, renewed}. */
    private int[] settleExpiredLocks(Stores stores) {
        int released = 0;
        int renewed = 0;
        for (Lease lease : stores.locks().releaseExpired()) {
            boolean waiting = JobId.isValid(lease.holder()) && stores.jobs().find(new JobId(lease.holder()))
                    .map(job -> job.status() == JobStatus.PENDING).orElse(false);
            if (waiting && stores.locks().tryAcquire(lease.key(), lease.holder(), config.lockTtl()).isPresent()) {
                renewed++;
            } else {
                released++;
                LOG.info("Released expired lock on {} held by {} since {}", lease.key(), lease.holder(),
                        lease.acquiredAt());
            }
        }
        return new int[] {released, renewed};
    }

    private int failPendingJobsWithoutQueueRow() {
        int failed = 0;
        for (Job job : store.jobs().list(JobQuery.all().withStatus(JobStatus.PENDING).withLimit(CONSISTENCY_BATCH))) {
            if (job.dryRun() || store.queue().entry(job.jobId()).isPresent()) {
                continue;
            }
            boolean done = leadership.whileLeading(store, stores -> {
                // Re-checked inside the transaction: the job may have moved on since it was listed.
                if (stores.queue().entry(job.jobId()).isPresent() || !stores.jobs().transition(job.jobId(),
                        JobStatus.PENDING, JobTransition.failed("Inconsistent state: pending but not in the queue"))) {
                    return false;
                }
                stores.locks().releaseIfHeldBy(job.table().key(), job.jobId().value());
                return true;
            });
            if (done) {
                failed++;
                LOG.warn("Failed job {} for {}: pending but not in the queue", job.jobId(), job.table());
            }
        }
        return failed;
    }


    private void record(SweepReport report) {
        count("reclaimed", report.claimsReclaimed());
        count("failed", report.jobsFailed());
        count("lock_released", report.locksReleased());
        count("lock_renewed", report.locksRenewed());
        count("pruned_jobs", report.jobsPruned());
        count("pruned_snapshots", report.snapshotsPruned());
        count("pruned_orchestrator_runs", report.orchestratorRunsPruned());
        Timer.builder("snowpack.sweeper.duration").description("Time one sweep (reclaim_stale) took on the leader")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5)).register(registry).record(report.duration());
        if (report.changedAnything()) {
            LOG.info("Sweep: {} claims reclaimed, {} jobs failed, {} locks released, {} locks kept for waiting jobs, "
                            + "{} jobs, {} health snapshots and {} orchestrator runs pruned in {} ms", report.claimsReclaimed(),
                    report.jobsFailed(), report.locksReleased(), report.locksRenewed(), report.jobsPruned(),
                    report.snapshotsPruned(), report.orchestratorRunsPruned(), report.duration().toMillis());
        } else {
            LOG.debug("Sweep found nothing to do");
        }
    }

    private void count(String outcome, int amount) {
        if (amount > 0) {
            Counter.builder("snowpack.sweeper.actions").tag("outcome", outcome)
                    .description("What the sweeper did, by outcome: claims reclaimed, jobs failed, locks released or "
                            + "renewed, jobs, snapshots and orchestrator runs pruned")
                    .register(registry).increment(amount);
        }
    }

    /** Runs {@link #runOnce()} on {@code scheduler} every {@code sweeper.interval} until {@link #close()}. */
    public synchronized void start(ScheduledExecutorService scheduler) {
        Duration period = config.sweeperInterval();
        loop.start(scheduler, period, period, this::runOnce, LOG, "Sweep");
    }

    @Override
    public synchronized void close() {
        loop.close();
    }

    /** Builds a {@link Sweeper}. */
    public static final class Builder {
        private SnowpackStore store;
        private SnowpackConfig config = SnowpackConfig.defaults();
        private Leadership leadership = Leadership.always("local");
        private MeterRegistry meterRegistry = new CompositeMeterRegistry();

        private Builder() {
        }

        /** The backend to sweep. Required. */
        public Builder store(SnowpackStore value) { store = value; return this; }
        public Builder config(SnowpackConfig value) { config = Objects.requireNonNull(value); return this; }
        /**
         * This process's leadership, usually a {@code LeaderElection}: sweeps happen only while it leads and every
         * write is fenced by its lease. Default: always leads, unfenced.
         */
        public Builder leader(Leadership value) { leadership = Objects.requireNonNull(value); return this; }

        /** Leadership decided by {@code value} alone; writes are not fenced. */
        public Builder leader(BooleanSupplier value) { return leader(Leadership.unfenced(value, "local")); }
        public Builder meterRegistry(MeterRegistry value) { meterRegistry = Objects.requireNonNull(value); return this; }

        public Sweeper build() {
            return new Sweeper(this);
        }
    }
}
