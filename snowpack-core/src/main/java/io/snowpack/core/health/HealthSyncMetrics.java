package io.snowpack.core.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The health-sync meters: {@code snowpack.health_sync.duration} (timer, one sample per pass),
 * {@code snowpack.health_sync.tables} (counter, tag {@code outcome} = synced | failed | removed),
 * {@code snowpack.health_sync.databases} (counter, tag {@code outcome} = synced | failed) and
 * {@code snowpack.health_sync.last_success} (gauge, epoch seconds of the last recorded sync, 0 before the first) and
 * {@code snowpack.health_sync.passes} (counter, tag {@code outcome} = completed | leadership_lost). The lag gauge
 * every process reports, leader or not, is {@link HealthSyncLag}'s.
 */
final class HealthSyncMetrics {
    private final Timer duration;
    private final Counter synced;
    private final Counter failed;
    private final Counter removed;
    private final Counter databasesSynced;
    private final Counter databasesFailed;
    private final AtomicLong lastSuccess = new AtomicLong();
    private final MeterRegistry registry;

    HealthSyncMetrics(MeterRegistry registry) {
        this.registry = registry;
        duration = Timer.builder("snowpack.health_sync.duration").description("Duration of one health-sync pass")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofHours(2))
                .serviceLevelObjectives(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15))
                .register(registry);
        synced = tables(registry, "synced");
        failed = tables(registry, "failed");
        removed = tables(registry, "removed");
        databasesSynced = databases(registry, "synced");
        databasesFailed = databases(registry, "failed");
        Gauge.builder("snowpack.health_sync.last_success", lastSuccess, AtomicLong::doubleValue)
                .description("Epoch seconds of the last health sync recorded, 0 before the first")
                .baseUnit("seconds")
                .register(registry);
    }

    void tableSynced() { synced.increment(); }

    void tableFailed() { failed.increment(); }

    void tablesRemoved(int count) { removed.increment(count); }

    void databaseSynced() { databasesSynced.increment(); }

    void databaseFailed() { databasesFailed.increment(); }

    void passFinished(Duration elapsed, Instant syncedAt, SyncReport.Outcome outcome) {
        duration.record(elapsed);
        Counter.builder("snowpack.health_sync.passes").tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .description("Health-sync passes run by this process, by how they ended").register(registry)
                .increment();
        if (syncedAt != null) {
            lastSuccess.set(syncedAt.getEpochSecond());
        }
    }

    private static Counter tables(MeterRegistry registry, String outcome) {
        return Counter.builder("snowpack.health_sync.tables").tag("outcome", outcome)
                .description("Tables handled by health sync, by outcome").register(registry);
    }

    private static Counter databases(MeterRegistry registry, String outcome) {
        return Counter.builder("snowpack.health_sync.databases").tag("outcome", outcome)
                .description("Databases handled by health sync, by outcome").register(registry);
    }
}
