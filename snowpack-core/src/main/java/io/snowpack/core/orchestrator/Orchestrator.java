package io.snowpack.core.orchestrator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.snowpack.core.DrainModeException;
import io.snowpack.core.MaintenanceConflictException;
import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.leader.Leadership;
import io.snowpack.core.leader.LeadershipLostException;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.OrchestratorRun;
import io.snowpack.core.model.TableId;
import io.snowpack.core.policy.MaintenancePlan;
import io.snowpack.core.policy.MaintenancePolicy;
import io.snowpack.core.schedule.PeriodicTask;
import io.snowpack.core.service.MaintenanceRequest;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.service.Submission;
import io.snowpack.core.spi.SnowpackStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator (DESIGN §5). A run, on the leader only and not in drain mode, looks at every cached table of
 * every database in {@code orchestrator.include_databases}, asks {@link MaintenanceService#plan} what the policy
 * says about it, and submits the planned actions with trigger {@code orchestrator}. A table whose lock another job
 * holds (the submission's 409) is a skip counted as {@code in_progress}, never an error; any other failure is
 * logged, counted, and does not stop the run. Each run is recorded in {@code orchestrator_runs} with its counts.
 *
 * <p>Leadership is checked again before each table, and every submission and the run's record are written through
 * {@link Leadership#whileLeading}: with a {@code LeaderElection} they are fenced by the leader lease, so a leader
 * deposed mid-run (paused, starved, cut off) submits nothing more and records no run; its run stops there.
 *
 * <p>While health sync is on, the orchestrator waits for its first completed pass (the cache's {@code last_synced}):
 * until then a due run is put off, not recorded, and the loop checks again every minute (or every interval when
 * shorter), so the first real run happens within a minute of the first sync.
 *
 * <p>Runs are spaced by {@code orchestrator.interval} measured from the last <em>recorded</em> run, whichever
 * process made it: a restarted or newly elected leader does not run again before the interval is up, and a leader
 * that restarts more often than the interval still runs on time. Thread-safe; runs never overlap.
 */
public final class Orchestrator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);
    /** Tables submitted in one unit of work. */
    static final int SUBMIT_BATCH = 100;
    /** Longest wait between two checks whether a run is due. */
    static final Duration MAX_POLL = Duration.ofMinutes(1);

    private final SnowpackStore store;
    private final SnowpackConfig config;
    private final MaintenanceService service;
    private final Leadership leadership;
    private final MeterRegistry registry;
    private final Timer tick;
    private final Counter waits;
    private boolean waitLogged;
    private final PeriodicTask loop = new PeriodicTask("The orchestrator");

    private Orchestrator(Builder b) {
        store = Objects.requireNonNull(b.store, "store");
        config = b.config;
        leadership = b.leadership;
        registry = b.meterRegistry;
        MaintenancePolicy policy = b.policy != null ? b.policy : MaintenancePolicy.standard(config);
        service = MaintenanceService.builder().store(store).config(config).policy(policy)
                .meterRegistry(registry).build();
        tick = Timer.builder("snowpack.orchestrator.tick.duration")
                .description("Time one orchestrator run took, from the first table assessed to the run recorded")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(1))
                .serviceLevelObjectives(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10))
                .register(registry);
        waits = Counter.builder("snowpack.orchestrator.first_sync_waits")
                .description("Orchestrator runs put off because the table cache had never been synced")
                .register(registry);
        // At zero from the start, so rates and alerts see a series before the first table is assessed.
        for (Outcome outcome : List.of(Outcome.SUBMITTED, Outcome.HEALTHY, Outcome.FAILED)) {
            counter(outcome);
        }
    }

    /** A builder; {@link Builder#store} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs now if this process leads, drain mode is off and the table cache has been synced at least once (while
     * health sync is on), whatever the interval.
     *
     * @return the recorded run; empty when not leader, in drain mode, or waiting for the first health sync (no run
     *         is recorded then, so the run happens as soon as the cache is synced, not an interval later)
     */
    public synchronized Optional<OrchestratorRun> runOnce() {
        if (!leadership.isLeader()) {
            LOG.debug("Orchestrator idle: not leader");
            return Optional.empty();
        }
        if (service.drainMode()) {
            LOG.info("Orchestrator paused: drain mode is on");
            return Optional.empty();
        }
        if (awaitingFirstSync()) {
            waits.increment();
            // Said once at INFO, then at DEBUG on every check: a first pass can take a while.
            if (!waitLogged) {
                waitLogged = true;
                LOG.info("Orchestrator waiting for the first health sync: the table cache has never been synced; "
                        + "checking again every {} and running as soon as it is", pollPeriod());
            } else {
                LOG.debug("Orchestrator still waiting for the first health sync");
            }
            return Optional.empty();
        }
        long start = System.nanoTime();
        Instant startedAt = store.now();
        RunTally tally = new RunTally();
        String error = null;
        try {
            List<MaintenanceRequest> due = new ArrayList<>(SUBMIT_BATCH);
            for (String database : config.orchestratorIncludeDatabases()) {
                for (TableId table : store.tables().tableIds(database)) {
                    if (!leadership.isLeader()) {
                        throw new LeadershipLostException(leadership.holderId() + " no longer leads");
                    }
                    Optional<MaintenanceRequest> request = assess(table, tally);
                    request.ifPresent(due::add);
                    if (due.size() == SUBMIT_BATCH) {
                        submit(due, tally);
                    }
                }
            }
            submit(due, tally);
        } catch (DrainModeException e) {
            error = "stopped: drain mode was turned on during the run";
            LOG.warn("Orchestrator run stopped: drain mode was turned on");
        } catch (LeadershipLostException e) {
            OrchestratorRun partial = tally.toRun(leadership.holderId(), startedAt, startedAt, null);
            LOG.warn("Orchestrator run stopped after {} tables and {} submissions, not recorded: {}",
                    partial.tablesAssessed(), partial.jobsSubmitted(), e.getMessage());
            return Optional.empty();
        }
        OrchestratorRun finished = tally.toRun(leadership.holderId(), startedAt, store.now(), error);
        OrchestratorRun run;
        try {
            run = leadership.whileLeading(store, stores -> stores.orchestratorRuns().record(finished));
        } catch (LeadershipLostException e) {
            LOG.warn("Orchestrator run not recorded ({} jobs submitted): {}", finished.jobsSubmitted(),
                    e.getMessage());
            return Optional.empty();
        }
        tick.record(Duration.ofNanos(System.nanoTime() - start));
        LOG.info("Orchestrator run {}: {} tables assessed, {} jobs submitted, {} healthy, {} skipped {}, {} failed "
                        + "in {} ms", run.runId(), run.tablesAssessed(), run.jobsSubmitted(), run.tablesHealthy(),
                run.tablesSkipped(), run.skippedByReason(), run.tablesFailed(), run.duration().toMillis());
        return Optional.of(run);
    }

    /**
     * Runs {@link #runOnce()} when the last recorded run is at least {@code orchestrator.interval} old (or there is
     * none).
     *
     * @return the run, when one was due and this process leads
     */
    public synchronized Optional<OrchestratorRun> runIfDue() {
        return untilDue().isZero() ? runOnce() : Optional.empty();
    }

    /**
     * {@code true} while health sync is on ({@code health_sync.interval > 0}) and has never completed a pass: the
     * cache is empty or partial, and a run now would assess nothing and push the first real run an interval out.
     * With health sync off, the host fills the cache itself and the orchestrator does not wait.
     */
    private boolean awaitingFirstSync() {
        return !config.healthSyncInterval().isZero() && store.tables().status().lastSynced().isEmpty();
    }

    /** How often the loop checks whether a run is due: every minute, or every interval when that is shorter. */
    private Duration pollPeriod() {
        Duration interval = config.orchestratorInterval();
        return interval.compareTo(MAX_POLL) < 0 ? interval : MAX_POLL;
    }

    /** How long until a run is due: zero when due now. */
    Duration untilDue() {
        List<OrchestratorRun> last = store.orchestratorRuns().recent(1);
        if (last.isEmpty()) {
            return Duration.ZERO;
        }
        Duration left = config.orchestratorInterval().minus(Duration.between(last.get(0).startedAt(), store.now()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * Plans {@code table}: the request to submit when it needs maintenance; else its outcome goes to {@code tally}
     * at once.
     */
    private Optional<MaintenanceRequest> assess(TableId table, RunTally tally) {
        MaintenancePlan plan;
        try {
            plan = service.plan(table);
        } catch (TableNotFoundException e) {
            return ended(tally, Outcome.skipped(Outcome.DROPPED));
        } catch (RuntimeException e) {
            LOG.warn("Orchestrator could not plan {}: {}", table, e.toString());
            return ended(tally, Outcome.FAILED);
        }
        if (!plan.eligible()) {
            return ended(tally, Outcome.skipped(plan.firstSkipReason().orElseThrow().wireName()));
        }
        if (plan.actions().isEmpty()) {
            return ended(tally, Outcome.HEALTHY);
        }
        return Optional.of(new MaintenanceRequest(table, plan.actions(), false, JobTrigger.ORCHESTRATOR));
    }

    private Optional<MaintenanceRequest> ended(RunTally tally, Outcome outcome) {
        tally.add(outcome);
        count(outcome);
        return Optional.empty();
    }

    /**
     * Submits the tables due so far in one unit of work ({@link MaintenanceService#submitAll}) fenced by the lead, and
     * empties {@code due}: a busy table counts as {@code in_progress}, a table dropped meanwhile as {@code dropped}. A
     * batch the backend fails counts each of its tables as failed; the run goes on.
     */
    private void submit(List<MaintenanceRequest> due, RunTally tally) {
        if (due.isEmpty()) {
            return;
        }
        List<Submission> outcomes;
        try {
            outcomes = leadership.whileLeading(store, stores -> service.submitAll(due));
        } catch (DrainModeException | LeadershipLostException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Orchestrator could not submit {} tables: {}", due.size(), e.toString());
            due.forEach(request -> ended(tally, Outcome.FAILED));
            due.clear();
            return;
        }
        for (Submission outcome : outcomes) {
            TableId table = outcome.request().table();
            if (outcome.isAccepted()) {
                LOG.info("Orchestrator submitted job {} for {}: {}", outcome.job().orElseThrow().jobId(), table,
                        outcome.request().actions());
                ended(tally, Outcome.SUBMITTED);
            } else if (outcome.refusal().orElseThrow() instanceof MaintenanceConflictException) {
                ended(tally, Outcome.skipped(OrchestratorRun.IN_PROGRESS));
            } else if (outcome.refusal().orElseThrow() instanceof TableNotFoundException) {
                ended(tally, Outcome.skipped(Outcome.DROPPED));
            } else {
                LOG.warn("Orchestrator could not submit {} for {}: {}", outcome.request().actions(), table,
                        outcome.refusal().orElseThrow().toString());
                ended(tally, Outcome.FAILED);
            }
        }
        due.clear();
    }

    private void count(Outcome outcome) {
        counter(outcome).increment();
    }

    private Counter counter(Outcome outcome) {
        return Counter.builder("snowpack.orchestrator.tables")
                .description("Tables the orchestrator assessed, by outcome (submitted, healthy, failed, "
                        + "skipped_<reason>)")
                .tag("outcome", outcome.name())
                .register(registry);
    }

    /**
     * Checks on {@code scheduler} whether a run is due (at most every minute, sooner when the interval is shorter)
     * and runs it, until {@link #close()}. A failing run is logged and the loop goes on.
     *
     * @throws IllegalStateException when already started
     */
    public synchronized void start(ScheduledExecutorService scheduler) {
        Duration interval = config.orchestratorInterval();
        loop.start(scheduler, Duration.ZERO, pollPeriod(), this::runIfDue, LOG, "Orchestrator run");
        LOG.info("Orchestrator started: every {} on the leader, databases {}", interval,
                config.orchestratorIncludeDatabases());
    }

    /** Stops the loop started by {@link #start}; a run in progress finishes. Idempotent. */
    @Override
    public synchronized void close() {
        loop.close();
    }

    /** Builds an {@link Orchestrator}. Not thread-safe. */
    public static final class Builder {
        private SnowpackStore store;
        private SnowpackConfig config = SnowpackConfig.defaults();
        private MaintenancePolicy policy;
        private Leadership leadership = Leadership.always("local");
        private MeterRegistry meterRegistry = new CompositeMeterRegistry();

        private Builder() {
        }

        /** The backend whose table cache is read and where jobs are submitted. Required. */
        public Builder store(SnowpackStore value) { store = Objects.requireNonNull(value, "store"); return this; }
        public Builder config(SnowpackConfig value) { config = Objects.requireNonNull(value, "config"); return this; }
        /** The policy that plans each table; default {@link MaintenancePolicy#standard(SnowpackConfig)}. */
        public Builder policy(MaintenancePolicy value) { policy = Objects.requireNonNull(value, "policy"); return this; }

        /**
         * This process's leadership, usually a {@code LeaderElection}: runs happen only while it leads, submissions
         * and run records are fenced by its lease, and its {@code holderId()} is recorded with each run. Default:
         * always leads, unfenced, as {@code "local"}.
         */
        public Builder leader(Leadership value) {
            leadership = Objects.requireNonNull(value, "leader");
            return this;
        }

        /** Leadership decided by {@code value} alone, recorded as {@code id}; writes are not fenced. */
        public Builder leader(BooleanSupplier value, String id) {
            return leader(Leadership.unfenced(value, id));
        }

        public Builder meterRegistry(MeterRegistry value) {
            meterRegistry = Objects.requireNonNull(value, "meterRegistry");
            return this;
        }

        public Orchestrator build() {
            return new Orchestrator(this);
        }
    }
}
