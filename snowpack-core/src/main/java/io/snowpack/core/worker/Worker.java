package io.snowpack.core.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.schedule.Threads;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import io.snowpack.core.spi.StartedJob;
import io.snowpack.core.spi.Subscription;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims jobs from the queue and runs them through a {@link MaintenanceExecutor}, at most {@code slots} at a
 * time; a job's slot is free again when its actions end, and its outcome is written (batched with other jobs'
 * when they end together) while the next job is claimed and runs. While a job runs, its claim and table lock are
 * extended on a timer and at every executor checkpoint; once either is refused the job stops before its next unit
 * of work and nothing more is written for it. Transient failures go back to the queue with capped exponential
 * backoff until {@code max_attempts}; permanent ones fail at once. A job whose action could not reach the catalog or
 * object store goes back to the queue without spending an attempt, and the worker then claims nothing for a pause
 * that starts at one second and doubles up to {@code worker.outage_backoff_max}, until a job shows the services
 * answer again. Idle polling backs off and {@link #wakeUp()} cuts the wait short.
 *
 * <p>Two modes: {@link #start()} runs a pool until {@link #close()} (graceful: claiming stops, running jobs are
 * asked to stop at their next checkpoint and handed back to the queue, within a bounded wait);
 * {@link #runOnce()} claims one job, runs it and returns (Kubernetes Jobs scaled by KEDA).
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    /** Most jobs settled in one transaction. */
    static final int MAX_SETTLE_BATCH = 100;

    private final SnowpackStore store;
    private final SnowpackConfig config;
    private final String workerId;
    private final int slots;
    private final int prefetch;
    /**
     * Free slots (prefetch included) the claimer waits for before it claims: 1 without prefetch, so a free slot is
     * filled at once; else half the prefetch, so claims go in batches while the prefetched jobs keep the slots busy.
     */
    private final int claimAtLeast;
    private final Duration minPoll;
    private final Duration maxPoll;
    private final Duration shutdownTimeout;
    private final JobRun jobRun;
    private final WorkerMetrics metrics;
    private final OutagePause outagePause;
    /** {@code null} without a table source. */
    private final HealthRefresh healthRefresh;
    private final ClaimPlaces freeSlots;
    /**
     * Places for jobs whose actions ended while their settle commits: such a job gives its place in
     * {@link #freeSlots} back for one of these, so the claimer claims its successor meanwhile.
     */
    private final Semaphore settlingPlaces;
    /** Slots taken by jobs beyond a claim's {@code max} (a store defect), repaid before the next claim. Claimer only. */
    private int overdraft;
    private final Set<Fence> running = ConcurrentHashMap.newKeySet();
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition wake = idleLock.newCondition();
    private volatile boolean woken;
    private Subscription jobsReady = Subscription.NONE;
    private volatile boolean stopping;
    /**
     * Pool mode: {@code slots} threads that run held jobs' actions, in claim order (prefetched jobs wait in its
     * queue); a thread goes on to the next job as soon as one's actions ended.
     */
    private ThreadPoolExecutor runners;
    /** Pool mode: settles the jobs that did not complete (and those a completion batch could not write). */
    private ExecutorService settlers;
    /** Pool mode: writes the completions of jobs whose actions all ended well, in group commits. */
    private CompletionBatcher completions;
    private Heartbeats heartbeats;
    private Thread claimer;

    private Worker(Builder b) {
        store = Objects.requireNonNull(b.store, "store");
        Objects.requireNonNull(b.executor, "executor");
        config = b.config;
        workerId = b.workerId;
        slots = b.slots;
        prefetch = b.prefetch;
        claimAtLeast = Math.max(1, (prefetch + 1) / 2);
        minPoll = b.minPoll;
        maxPoll = b.maxPoll;
        shutdownTimeout = b.shutdownTimeout;
        metrics = new WorkerMetrics(b.meterRegistry, store, workerId, config.metricsTableTags());
        outagePause = new OutagePause(config.outageBackoffMax(), System::nanoTime);
        jobRun = new JobRun(store, b.executor, config,
                new RetryBackoff(config, () -> ThreadLocalRandom.current().nextDouble()), metrics,
                new SettleRetry(minPoll, maxPoll, config.staleClaimThreshold()), outagePause);
        freeSlots = new ClaimPlaces(slots + prefetch);
        settlingPlaces = new Semaphore(slots + prefetch);
        healthRefresh = b.tableSource == null ? null
                : new HealthRefresh(store, b.tableSource, daemon("health-refresh"), b.meterRegistry);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String workerId() {
        return workerId;
    }

    /**
     * Run-once mode: claims one job, runs it to its end and returns how it ended; {@link JobOutcome#IDLE} at
     * once when nothing is claimable. {@code System.exit(worker.runOnce().exitCode())} in a Kubernetes Job.
     */
    public JobOutcome runOnce() {
        if (stopping) {
            LOG.info("Worker {} is shutting down; not claiming", workerId);
            return JobOutcome.IDLE;
        }
        long sentAt = System.nanoTime();
        List<StartedJob> claims;
        try {
            claims = store.claimAndStart(workerId, 1, config.lockTtl());
        } catch (RuntimeException e) {
            metrics.claimFailed(System.nanoTime() - sentAt);
            throw e;
        }
        metrics.claimed(claims.size(), System.nanoTime() - sentAt);
        if (claims.isEmpty()) {
            LOG.info("Nothing to claim; exiting");
            return JobOutcome.IDLE;
        }
        try (Heartbeats timer = heartbeats()) {
            Running job = track(claims.get(0), sentAt, timer);
            try {
                JobOutcome outcome = settle(job, () -> jobRun.run(job.started(), job.fence()));
                refreshHealth(job, outcome, true);
                return outcome;
            } finally {
                untrack(job, timer);
            }
        }
    }

    /** Pool mode: claims and runs jobs on background threads until {@link #close()}. */
    public synchronized void start() {
        if (claimer != null) {
            throw new IllegalStateException("Worker " + workerId + " is already started");
        }
        // Jobs run their actions on the runners, in claim order; their settles are written by the completion batcher
        // (a job that completed) or a settle thread (any other outcome), so a settle's commit never keeps the next job
        // from being claimed or run, and a runner never waits for one.
        runners = new ThreadPoolExecutor(slots, slots, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                daemon("job"));
        settlers = Executors.newCachedThreadPool(daemon("settle"));
        completions = new CompletionBatcher(store, MAX_SETTLE_BATCH, daemon("complete"));
        heartbeats = heartbeats();
        claimer = daemon("claimer").newThread(this::claimLoop);
        claimer.start();
        jobsReady = store.onJobsReady(this::wakeUp);
        LOG.info("Worker {} started with {} slots and {} prefetched (heartbeat every {} s, max {} attempts)", workerId,
                slots, prefetch, config.heartbeatInterval().toSeconds(), config.maxAttempts());
    }

    /**
     * Ends an idle wait at once. A started worker is woken by the store itself when jobs become claimable
     * ({@link SnowpackStore#onJobsReady}: PostgreSQL {@code LISTEN/NOTIFY}, the in-memory queue), polling stays the
     * fallback.
     */
    public void wakeUp() {
        idleLock.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            idleLock.unlock();
        }
    }

    /**
     * Claims while the worker runs. A claim that fails (database down, schema not migrated yet, any error) gives
     * every slot it took back and is tried again after a capped backoff, so the worker resumes by itself. While the
     * {@link OutagePause} lasts (the catalog or object store could not be reached), free slots claim nothing.
     */
    private void claimLoop() {
        CappedBackoff idle = new CappedBackoff(minPoll, maxPoll);
        CappedBackoff outage = new CappedBackoff(minPoll, maxPoll);
        int failuresInARow = 0;
        while (!stopping) {
            int free;
            try {
                free = freeSlots.takeAtLeast(claimAtLeast);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                failuresInARow = claimInto(free, idle, outage, failuresInARow);
            } catch (RuntimeException | Error e) {
                // A defect of ours or of the store outside the claim itself: the claimer lives on, or the worker
                // would heartbeat its running jobs and never claim again. Slots the failed round had not handed on
                // yet stay taken (the worker runs with fewer), and jobs it claimed but could not take on stay
                // claimed until the sweeper reclaims them.
                Duration wait = outage.next();
                LOG.error("Worker {}: the claimer failed unexpectedly; claiming again in {} ms", workerId,
                        wait.toMillis(), e);
                waitIdleQuietly(wait);
            }
        }
    }

    /**
     * One round of the claimer with {@code free} slots acquired: claims into them and hands every started job on.
     * Returns the claim failures in a row so far.
     */
    private int claimInto(int free, CappedBackoff idle, CappedBackoff outage, int failuresInARow) {
        if (overdraft > 0) { // slots a store's over-claim used are paid back before anything more is claimed
            int repaid = Math.min(overdraft, free);
            overdraft -= repaid;
            free -= repaid;
            if (free == 0) {
                return failuresInARow;
            }
        }
        Duration paused = outagePause.remaining();
        if (!paused.isZero()) {
            freeSlots.release(free);
            waitIdleQuietly(paused);
            return failuresInARow;
        }
        List<StartedJob> claims;
        long sentAt = System.nanoTime();
        try {
            claims = stopping ? List.of() : store.claimAndStart(workerId, free, config.lockTtl());
        } catch (RuntimeException | Error e) {
            metrics.claimFailed(System.nanoTime() - sentAt);
            freeSlots.release(free);
            Duration wait = outage.next();
            LOG.warn("Claiming failed ({} in a row); retrying in {} ms: {}", failuresInARow + 1, wait.toMillis(),
                    e.toString());
            waitIdleQuietly(wait);
            return failuresInARow + 1;
        }
        if (claims.size() > free) {
            overdraft += claims.size() - free;
            LOG.error("Worker {}: the store returned {} started jobs for {} free slots (a store defect); running "
                    + "them all, and claiming again once as many slots are free", workerId, claims.size(), free);
        } else {
            freeSlots.release(free - claims.size());
        }
        if (failuresInARow > 0) {
            LOG.info("Claiming works again after {} failed attempts", failuresInARow);
            outage.reset();
        }
        for (StartedJob claim : claims) {
            takeOn(claim, sentAt);
        }
        if (!stopping || !claims.isEmpty()) {
            metrics.claimed(claims.size(), System.nanoTime() - sentAt);
        }
        if (claims.isEmpty()) {
            waitIdleQuietly(idle.next());
        } else {
            idle.reset();
        }
        return 0;
    }

    /**
     * Takes a job the claimer just started into this worker's care and runs it; each started job holds one slot
     * from here on. A job that cannot be taken on (a defect) gives its slot back and stays claimed until the
     * sweeper reclaims it, and the claimer goes on with the next one.
     */
    private void takeOn(StartedJob claim, long sentAt) {
        Running job;
        try {
            job = track(claim, sentAt, heartbeats);
        } catch (RuntimeException | Error e) {
            freeSlots.release();
            LOG.error("Worker {}: could not take on job {}; it stays claimed until the sweeper reclaims it", workerId,
                    claim.job().jobId(), e);
            return;
        }
        dispatch(job);
    }

    /** A started job held by this worker, and its fence, heartbeated from the claim on until it settles. */
    private record Running(StartedJob started, Fence fence) {
    }

    /** The heartbeat timer of this worker's jobs, on a thread of its own. */
    private Heartbeats heartbeats() {
        return new Heartbeats(config.heartbeatInterval(), daemon("heartbeat"), Worker::heartbeat);
    }

    /**
     * Takes a job this worker just claimed and started into its care: the fence (confirmed by the claim sent at
     * {@code sentAt}) is heartbeated from now on, also while the job waits for a free slot (prefetched), and asked to
     * stop at once when the worker is closing.
     */
    private Running track(StartedJob started, long sentAt, Heartbeats timer) {
        Fence fence = jobRun.fence(started, sentAt);
        if (!timer.add(fence)) {
            // The worker closed while this claim was in flight, and gave up waiting for it: the job goes back at once.
            fence.requestStop();
        }
        running.add(fence);
        if (stopping) {
            fence.requestStop();
        }
        return new Running(started, fence);
    }

    private void untrack(Running job, Heartbeats timer) {
        timer.remove(job.fence());
        running.remove(job.fence());
    }

    /**
     * Runs a started job's actions on a runner, in claim order (while every runner is busy, a prefetched job waits in
     * line for one). A job that arrives while the worker is closing, or that the runners refuse, goes straight to a
     * settle thread instead: it only sees its stop request and is handed back to the queue, not stranded until the
     * sweeper.
     */
    private void dispatch(Running job) {
        if (stopping) {
            job.fence().requestStop();
            settleThread(() -> runHeld(job));
            return;
        }
        try {
            runners.execute(() -> runHeld(job));
        } catch (RejectedExecutionException e) {
            LOG.warn("Worker {}: the runners refused job {}; handing it back", workerId, job.started().job().jobId());
            job.fence().requestStop();
            settleThread(() -> runHeld(job));
        }
    }

    /**
     * Runs a held job's actions on this thread, then gives its claim place back for a settling place and hands the
     * settle on: a job that completed to the completion batcher, any other to a settle thread.
     */
    private void runHeld(Running job) {
        Place place = new Place();
        JobRun.EndedJob ended;
        try {
            ended = jobRun.act(job.started(), job.fence());
        } catch (RuntimeException e) {
            LOG.error("Job {} failed outside its actions; its claim will be reclaimed by the sweeper",
                    job.started().job().jobId(), e);
            finish(job, place, JobOutcome.REVOKED);
            return;
        } catch (Error e) {
            finish(job, place, JobOutcome.REVOKED);
            throw e;
        }
        place.settling();
        if (ended.completes() && completions.submit(jobRun.completion(ended),
                (completed, failure) -> completedInBatch(job, place, ended, completed, failure))) {
            return;
        }
        settleThread(() -> finish(job, place, settle(job, () -> jobRun.settle(ended))));
    }

    /** On the completion batcher's thread: a completion written needs no database call, any other a settle thread. */
    private void completedInBatch(Running job, Place place, JobRun.EndedJob ended, boolean completed,
                                  RuntimeException failure) {
        if (completed) {
            finish(job, place, settle(job, () -> jobRun.completedInBatch(ended)));
        } else {
            settleThread(() -> finish(job, place, settle(job, () -> jobRun.settleAfterBatch(ended, failure))));
        }
    }

    /** Runs {@code work} on a settle thread, or here when the settle threads are shut down. */
    private void settleThread(Runnable work) {
        try {
            settlers.execute(work);
        } catch (RejectedExecutionException e) {
            work.run();
        }
    }

    /** A held job's end: its table's health is refreshed when it may have changed, and its place is given back. */
    private void finish(Running job, Place place, JobOutcome outcome) {
        try {
            refreshHealth(job, outcome, false);
        } finally {
            untrack(job, heartbeats);
            place.giveBack();
        }
    }

    /**
     * The place a held job takes in the worker: one of {@link #freeSlots} from its claim until its actions end, then
     * one of {@link #settlingPlaces} until it is settled. Handed from the runner to the thread that settles the job.
     */
    private final class Place {
        private boolean settling;

        /** The job's actions ended: its claim place goes back to the claimer once a settling place is free. */
        void settling() {
            if (!settling) {
                settlingPlaces.acquireUninterruptibly();
                settling = true;
                freeSlots.release();
            }
        }

        void giveBack() {
            if (settling) {
                settlingPlaces.release();
            } else {
                freeSlots.release();
            }
        }
    }

    /**
     * Once a job ended in a way that may have changed its table (completed, failed, or failed for a retry), its cached
     * health is refreshed, on the refresh thread or ({@code now}) before returning.
     */
    private void refreshHealth(Running job, JobOutcome outcome, boolean now) {
        if (healthRefresh != null && (outcome == JobOutcome.COMPLETED || outcome == JobOutcome.FAILED
                || outcome == JobOutcome.RETRY_SCHEDULED)) {
            if (now) {
                healthRefresh.now(job.started().job().table());
            } else {
                healthRefresh.after(job.started().job().table());
            }
        }
    }

    /** Settles a job; a settle that failed for good leaves the job to the sweeper. */
    private static JobOutcome settle(Running job, Supplier<JobOutcome> settle) {
        try {
            return settle.get();
        } catch (RuntimeException e) {
            LOG.error("Job {} could not be settled; its claim will be reclaimed by the sweeper",
                    job.started().job().jobId(), e);
            return JobOutcome.REVOKED;
        }
    }

    /** One beat of a held job; a beat that throws is logged by {@link Heartbeats}, which beats it again when due. */
    private static void heartbeat(Fence fence) {
        if (!fence.heartbeat() && !fence.isSettling()) {
            // (a heartbeat racing the settle of a job that just ended is refused as a matter of course)
            LOG.warn("Heartbeat refused for job {}: {}", fence.claim().jobId(), fence.revokedBecause());
        }
    }

    private void waitIdle(Duration duration) throws InterruptedException {
        idleLock.lock();
        try {
            long nanos = duration.toNanos();
            while (!woken && !stopping && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
            woken = false;
        } finally {
            idleLock.unlock();
        }
    }

    private void waitIdleQuietly(Duration duration) {
        try {
            waitIdle(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Graceful shutdown: stops claiming (a claim in flight is awaited, and what it claimed goes back to the queue
     * unstarted), asks running jobs to stop at their next checkpoint (they go back to the queue), and waits up to
     * the shutdown timeout for them. In run-once mode (a SIGTERM while
     * {@link #runOnce()} runs, through a shutdown hook) the same happens to the one job, and {@code runOnce}
     * returns {@link JobOutcome#HANDED_BACK}.
     */
    @Override
    public synchronized void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (claimer == null) {
            stopRunOnce();
            closeHealthRefresh();
            return;
        }
        jobsReady.close();
        wakeUp();
        running.forEach(Fence::requestStop);
        freeSlots.release(claimAtLeast); // a claimer waiting for free slots wakes up and sees that the worker stops
        try {
            handBackThoseInLine();
            claimer.join(shutdownTimeout.toMillis());
            handBackThoseInLine(); // (one a claim in flight lined up before it saw the worker stop)
            // One shutdown timeout for the running jobs, the completions and the settles together.
            long deadline = System.nanoTime() + shutdownTimeout.toNanos();
            runners.shutdown();
            if (!runners.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
                LOG.warn("Worker {}: {} jobs did not reach a checkpoint within {} s; the sweeper will reclaim them",
                        workerId, running.size(), shutdownTimeout.toSeconds());
                runners.shutdownNow();
            }
            if (!completions.close(Duration.ofNanos(remaining(deadline)))) {
                LOG.warn("Worker {}: completions were still being written after {} s", workerId,
                        shutdownTimeout.toSeconds());
            }
            settlers.shutdown();
            if (!settlers.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
                LOG.warn("Worker {}: {} jobs were still being settled after {} s; the sweeper will reclaim them",
                        workerId, running.size(), shutdownTimeout.toSeconds());
                settlers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            heartbeats.close();
            closeHealthRefresh();
            LOG.info("Worker {} stopped", workerId);
        }
    }

    /** Nanoseconds left until {@code deadline} ({@link System#nanoTime()}), at least a millisecond. */
    private static long remaining(long deadline) {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime());
    }

    /**
     * Prefetched jobs still in line for a runner go to settle threads, where they only see their stop request and go
     * back to the queue: at once, not after the jobs running now reached a checkpoint.
     */
    private void handBackThoseInLine() {
        List<Runnable> inLine = new ArrayList<>();
        runners.getQueue().drainTo(inLine);
        inLine.forEach(this::settleThread);
    }

    private void closeHealthRefresh() {
        if (healthRefresh != null) {
            healthRefresh.close();
        }
    }

    /** Run-once mode: the job in progress stops at its next checkpoint and goes back to the queue. */
    private void stopRunOnce() {
        running.forEach(Fence::requestStop);
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!running.isEmpty()) {
            LOG.warn("Worker {}: the job did not reach a checkpoint within {} s; the sweeper will reclaim it",
                    workerId, shutdownTimeout.toSeconds());
        }
    }

    /** Threads named {@code snowpack-worker-<worker id>-<role>-<n>}, so a thread dump names the worker. */
    private ThreadFactory daemon(String role) {
        return Threads.daemon("snowpack-worker-" + workerId + "-" + role);
    }

    /** Builds a {@link Worker}. */
    public static final class Builder {
        private SnowpackStore store;
        private MaintenanceExecutor executor;
        private SnowpackConfig config = SnowpackConfig.defaults();
        private String workerId = ManagementFactory.getRuntimeMXBean().getName() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        private int slots = 1;
        private int prefetch;
        private Duration minPoll = Duration.ofMillis(200);
        private Duration maxPoll = Duration.ofSeconds(5);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private MeterRegistry meterRegistry = new CompositeMeterRegistry();
        private TableSource tableSource;

        private Builder() {
        }

        /** The backend holding the queue, jobs and locks. Required. */
        public Builder store(SnowpackStore value) { store = value; return this; }
        /** Runs the actions. Required. */
        public Builder executor(MaintenanceExecutor value) { executor = value; return this; }
        public Builder config(SnowpackConfig value) { config = Objects.requireNonNull(value); return this; }
        /** This worker's id in {@code claimed_by}; default host name, process id and a random suffix. */
        public Builder workerId(String value) { workerId = Objects.requireNonNull(value); return this; }
        /** Jobs run at once; default 1. */
        public Builder slots(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("slots must be >= 1, got " + value);
            }
            slots = value;
            return this;
        }
        /**
         * Jobs claimed beyond the free slots, to start as soon as a slot frees up; default 0. Worth it for workers
         * that run many short jobs (dry runs, small tables): claims then go in batches. Prefetched jobs are already
         * running for the rest of the system (their table locks held, heartbeated like running jobs) and go back to
         * the queue when the worker stops; with long jobs they would wait behind them while another worker idles.
         * Each job the worker holds has a thread of its own (up to {@code 2 * (slots + prefetch)}: claimed, and
         * settling); prefetched ones wait on theirs for a slot, in claim order.
         */
        public Builder prefetch(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("prefetch must be >= 0, got " + value);
            }
            prefetch = value;
            return this;
        }
        /** Idle polling starts at {@code min} and doubles up to {@code max}. */
        public Builder pollInterval(Duration min, Duration max) {
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("poll interval needs 0 < min <= max, got " + min + ", " + max);
            }
            minPoll = min;
            maxPoll = max;
            return this;
        }
        /** How long {@link Worker#close()} waits for running jobs to reach a checkpoint; default 30 s. */
        public Builder shutdownTimeout(Duration value) { shutdownTimeout = Objects.requireNonNull(value); return this; }
        public Builder meterRegistry(MeterRegistry value) { meterRegistry = Objects.requireNonNull(value); return this; }
        /**
         * Where table health is read. Optional: with it, a table's cached health is read again from its catalog
         * right after a job on it ends (off the job's slot), so the API and the orchestrator see the job's effect
         * without waiting for the next health-sync pass.
         */
        public Builder tableSource(TableSource value) { tableSource = Objects.requireNonNull(value); return this; }

        public Worker build() {
            return new Worker(this);
        }
    }
}
