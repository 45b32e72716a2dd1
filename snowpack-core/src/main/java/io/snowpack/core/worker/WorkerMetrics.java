package io.snowpack.core.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.spi.SnowpackStore;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's meters: claims and claim latency, active jobs, job and action durations by outcome (histograms, for
 * p50/p99), revocations, retries, and the files and bytes rewritten (by action; by table too when
 * {@code metrics.table_tags} is on).
 */
final class WorkerMetrics {
    /** Bounds of the job and action duration histograms: a dry run takes a tenth of a second, a big compaction hours. */
    private static final Duration JOB_MIN = Duration.ofMillis(100);
    private static final Duration JOB_MAX = Duration.ofHours(6);
    private static final Duration[] JOB_SLOS = {Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5),
        Duration.ofMinutes(15), Duration.ofHours(1)};

    private final MeterRegistry registry;
    private final boolean tableTags;
    private final Counter claims;
    private final Counter revocations;
    private final Counter retries;
    private final Timer claimsFound;
    private final Timer claimsEmpty;
    private final Timer claimsFailed;
    private final AtomicInteger active = new AtomicInteger();
    /** Meters of every job and action end, registered once per tag set instead of looked up at every end. */
    private final Map<Finished, Counter> finished = new ConcurrentHashMap<>();
    private final Map<JobOutcome, Timer> jobDurations = new ConcurrentHashMap<>();
    private final Map<ActionEnd, Timer> actionDurations = new ConcurrentHashMap<>();

    private record Finished(JobOutcome outcome, JobTrigger trigger) {
    }

    private record ActionEnd(MaintenanceAction action, String outcome) {
    }

    WorkerMetrics(MeterRegistry registry, SnowpackStore store, String workerId, boolean tableTags) {
        this.registry = registry;
        this.tableTags = tableTags;
        claims = Counter.builder("snowpack.worker.claims").tag("worker", workerId)
                .description("Jobs this worker claimed").register(registry);
        revocations = Counter.builder("snowpack.worker.fence_revocations").tag("worker", workerId)
                .description("Jobs this worker stopped because their fence was revoked (cancelled, reclaimed, lock "
                        + "lost)").register(registry);
        retries = Counter.builder("snowpack.worker.retries").tag("worker", workerId)
                .description("Jobs this worker sent back to the queue for a retry after a transient failure")
                .register(registry);
        Gauge.builder("snowpack.worker.active_jobs", active, AtomicInteger::get).tag("worker", workerId)
                .description("Jobs running their actions in this worker now").register(registry);
        Gauge.builder("snowpack.queue.ready_depth", store, s -> s.queue().readyDepth())
                .description("Jobs claimable now").register(registry);
        claimsFound = claimTimer(workerId, "claimed");
        claimsEmpty = claimTimer(workerId, "empty");
        claimsFailed = claimTimer(workerId, "error");
    }

    private Timer claimTimer(String workerId, String result) {
        return Timer.builder("snowpack.worker.claim.duration").tag("worker", workerId).tag("result", result)
                .description("Latency of one claim round trip (claim and start, one or a batch of jobs), by whether "
                        + "it claimed jobs, found none or failed")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(250))
                .register(registry);
    }

    /** One claim round trip that took {@code nanos} and claimed {@code count} jobs. */
    void claimed(int count, long nanos) {
        claims.increment(count);
        (count > 0 ? claimsFound : claimsEmpty).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One claim round trip that failed after {@code nanos}. */
    void claimFailed(long nanos) {
        claimsFailed.record(nanos, TimeUnit.NANOSECONDS);
    }

    void started() {
        active.incrementAndGet();
    }

    void finished() {
        active.decrementAndGet();
    }

    void revoked() {
        revocations.increment();
    }

    void retried() {
        retries.increment();
    }

    /** Counts and times a job's run by outcome; a job postponed for an outage is tagged {@code unavailable}. */
    void jobEnded(Job job, JobOutcome outcome, long nanos) {
        finished.computeIfAbsent(new Finished(outcome, job.trigger()), this::finishedCounter).increment();
        jobDurations.computeIfAbsent(outcome, this::jobTimer).record(nanos, TimeUnit.NANOSECONDS);
    }

    void actionEnded(MaintenanceAction action, String outcome, long nanos) {
        actionDurations.computeIfAbsent(new ActionEnd(action, outcome), this::actionTimer)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String status(JobOutcome outcome) {
        return outcome == JobOutcome.POSTPONED ? "unavailable" : outcome.name().toLowerCase(Locale.ROOT);
    }

    private Counter finishedCounter(Finished key) {
        return Counter.builder("snowpack.jobs.finished").tag("outcome", status(key.outcome()))
                .tag("trigger", key.trigger().wireName())
                .description("Job runs this process ended, by outcome (completed, failed, retry_scheduled, revoked, "
                        + "handed_back, unavailable) and trigger")
                .register(registry);
    }

    private Timer jobTimer(JobOutcome outcome) {
        return Timer.builder("snowpack.job.duration").tag("outcome", status(outcome))
                .description("Time one job run took in a worker, from start to settle, by outcome")
                .publishPercentileHistogram().minimumExpectedValue(JOB_MIN).maximumExpectedValue(JOB_MAX)
                .serviceLevelObjectives(JOB_SLOS)
                .register(registry);
    }

    private Timer actionTimer(ActionEnd key) {
        return Timer.builder("snowpack.action.duration").tag("action", key.action().wireName())
                .tag("outcome", key.outcome())
                .description("Time one maintenance action took in a worker, by action and outcome")
                .publishPercentileHistogram().minimumExpectedValue(JOB_MIN).maximumExpectedValue(JOB_MAX)
                .serviceLevelObjectives(JOB_SLOS)
                .register(registry);
    }

    /**
     * Counts what a successful action rewrote: its {@code files_in} (or, for a position-delete rewrite,
     * {@code delete_files_in}) and {@code bytes_in}; actions that rewrite nothing add nothing. By action, and by
     * table when {@code metrics.table_tags}.
     */
    void rewrote(Job job, ActionResult result) {
        Long files = result.metrics().getOrDefault("files_in", result.metrics().get("delete_files_in"));
        Long bytes = result.metrics().get("bytes_in");
        if (files == null && bytes == null) {
            return;
        }
        Tags tags = Tags.of("action", result.action().wireName());
        if (tableTags) {
            tags = tags.and("table", job.table().key());
        }
        Counter.builder("snowpack.rewrite.files").tags(tags)
                .description("Data or delete files rewritten (read and replaced) by successful actions, by action"
                        + (tableTags ? " and table" : "") + "; metrics.table_tags adds the table tag")
                .register(registry).increment(files == null ? 0 : files);
        Counter.builder("snowpack.rewrite.bytes").tags(tags).baseUnit("bytes")
                .description("Bytes of the files rewritten by successful actions, by action"
                        + (tableTags ? " and table" : "") + "; metrics.table_tags adds the table tag")
                .register(registry).increment(bytes == null ? 0 : bytes);
    }
}
