package io.snowpack.core.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.spi.SnowpackStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The worker's meters: claims, active jobs, job and action durations by outcome, revocations, retries. */
final class WorkerMetrics {
    private final MeterRegistry registry;
    private final Counter claims;
    private final Counter revocations;
    private final Counter retries;
    private final AtomicInteger active = new AtomicInteger();

    WorkerMetrics(MeterRegistry registry, SnowpackStore store, String workerId) {
        this.registry = registry;
        claims = registry.counter("snowpack.worker.claims", "worker", workerId);
        revocations = registry.counter("snowpack.worker.fence_revocations", "worker", workerId);
        retries = registry.counter("snowpack.worker.retries", "worker", workerId);
        registry.gauge("snowpack.worker.active_jobs", java.util.List.of(
                io.micrometer.core.instrument.Tag.of("worker", workerId)), active);
        registry.gauge("snowpack.queue.ready_depth", store, s -> s.queue().readyDepth());
    }

    void claimed(int count) {
        claims.increment(count);
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
        String status = outcome == JobOutcome.POSTPONED ? "unavailable"
                : outcome.name().toLowerCase(java.util.Locale.ROOT);
        registry.counter("snowpack.jobs.finished", "outcome", status, "trigger", job.trigger().wireName())
                .increment();
        Timer.builder("snowpack.job.duration").tag("outcome", status).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void actionEnded(MaintenanceAction action, String outcome, long nanos) {
        Timer.builder("snowpack.action.duration").tag("action", action.wireName()).tag("outcome", outcome)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }
}
