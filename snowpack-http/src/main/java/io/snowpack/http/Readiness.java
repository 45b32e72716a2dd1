package io.snowpack.http;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.schedule.Threads;
import io.snowpack.core.spi.CacheStatus;
import io.snowpack.core.spi.SnowpackStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * {@code /readyz}: ready when the backend answers within {@link #DATABASE_TIMEOUT}; readiness is about serving, and
 * an API that reaches its backend serves from the shared table cache however old it is. Each check is reported by
 * name. While health sync is on, the cache's sync state is reported as {@code table_cache}, a detail that never
 * makes the API unready: a pass longer than the interval, or a cache not yet synced, is lag (the
 * {@code snowpack.health_sync.lag} gauge, {@code GET /tables/cache-status}), not unreadiness.
 *
 * <p>Details a host adds ({@link SnowpackApi.Builder#readinessDetail}, e.g. the catalog connection) are reported
 * after the checks, by name, and never make the API unready: job status, cancel and the sweeper do not need them.
 *
 * <p>The backend is asked on one probe thread, one probe at a time: a call that finds a probe in flight waits for
 * its answer (up to the timeout) instead of starting another, so a database that stops answering ties up one
 * thread, however often readiness is asked. The table-cache status is read by the same probe, under the same
 * timeout.
 */
final class Readiness implements AutoCloseable {
    static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(2);

    private final SnowpackStore store;
    private final SnowpackConfig config;
    private final ExecutorService prober = Executors.newSingleThreadExecutor(Threads.daemon("snowpack-readiness"));
    private final AtomicReference<CompletableFuture<Observation>> inFlight = new AtomicReference<>();
    private final Map<String, Supplier<String>> details;

    Readiness(SnowpackStore store, SnowpackConfig config, Map<String, Supplier<String>> details) {
        this.store = store;
        this.config = config;
        this.details = Map.copyOf(details);
    }

    /** One sentence per check, keyed by check name; {@code ok} is {@code true} when every check passed. */
    record Report(boolean ok, Map<String, String> checks) {
    }

    /** What one probe read: backend time, and the table-cache status when health sync is on. */
    private record Observation(Instant now, Optional<CacheStatus> cache) {
    }

    Report check() {
        Report report = checkBackend();
        Map<String, String> checks = new LinkedHashMap<>(report.checks());
        details.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(detail -> checks.put(detail.getKey(), describe(detail.getValue())));
        return new Report(report.ok(), checks);
    }

    private static String describe(Supplier<String> detail) {
        try {
            return String.valueOf(detail.get());
        } catch (RuntimeException e) {
            return "unknown: " + e;
        }
    }

    private Report checkBackend() {
        Map<String, String> checks = new LinkedHashMap<>();
        Observation seen;
        try {
            seen = probe().get(DATABASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            checks.put("database", "ok");
        } catch (TimeoutException e) {
            checks.put("database", "no answer within " + DATABASE_TIMEOUT.toSeconds() + " s");
            return new Report(false, checks);
        } catch (ExecutionException e) {
            checks.put("database", "unreachable: " + e.getCause().getMessage());
            return new Report(false, checks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            checks.put("database", "interrupted");
            return new Report(false, checks);
        }
        if (seen.cache().isEmpty()) {
            checks.put("table_cache", "not checked: health sync is off in this process");
            return new Report(true, checks);
        }
        checks.put("table_cache", describe(seen.cache().get(), seen.now()));
        return new Report(true, checks);
    }

    /** The cache's sync state in one sentence: how long ago it was synced, and whether that is late. */
    private String describe(CacheStatus status, Instant now) {
        Optional<Duration> lag = status.lag(now);
        if (lag.isEmpty()) {
            return "not synced yet: health sync has not completed a pass";
        }
        Duration late = config.healthSyncInterval().multipliedBy(2);
        String state = lag.get().compareTo(late) <= 0 ? "ok" : "lagging";
        return state + ": synced " + lag.get().toSeconds() + " s ago (interval " + config.healthSyncInterval()
                .toSeconds() + " s)";
    }

    /** The probe in flight, or a new one when the last has answered. */
    private CompletableFuture<Observation> probe() {
        while (true) {
            CompletableFuture<Observation> current = inFlight.get();
            if (current != null && !current.isDone()) {
                return current;
            }
            CompletableFuture<Observation> next = new CompletableFuture<>();
            if (inFlight.compareAndSet(current, next)) {
                try {
                    prober.execute(() -> {
                        try {
                            next.complete(observe());
                        } catch (Throwable e) {
                            next.completeExceptionally(e);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    next.completeExceptionally(new IllegalStateException("the API is closed", e));
                }
                return next;
            }
        }
    }

    private Observation observe() {
        Instant now = store.now();
        boolean healthSyncOn = !config.healthSyncInterval().isZero();
        return new Observation(now, healthSyncOn ? Optional.of(store.tables().status()) : Optional.empty());
    }

    /** Stops the probe thread. */
    @Override
    public void close() {
        prober.shutdownNow();
    }
}
