package io.snowpack.core.health;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.schedule.PeriodicTask;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link HealthSync} the builder makes: passes run one database after another. */
final class DefaultHealthSync implements HealthSync {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultHealthSync.class);

    private final SnowpackStore store;
    private final TableSource source;
    private final SnowpackConfig config;
    private final HealthSyncMetrics metrics;
    private final Object passLock = new Object();
    private final PeriodicTask loop = new PeriodicTask("Health sync");

    DefaultHealthSync(Builder b) {
        store = b.store;
        source = b.source;
        config = b.config;
        metrics = new HealthSyncMetrics(b.meterRegistry);
    }

    @Override
    public SyncReport runOnce() {
        synchronized (passLock) {
            return pass();
        }
    }

    private SyncReport pass() {
        long start = System.nanoTime();
        SyncTally tally = new SyncTally(metrics);
        boolean everyDatabase = config.healthSyncDatabases().isEmpty();
        Optional<List<String>> databases = databasesToSync(tally);
        int databasesSynced = 0;
        if (databases.isPresent()) {
            int concurrency = config.healthSyncConcurrency();
            try (BoundedExecutor executor = new BoundedExecutor(concurrency, "snowpack-health-sync")) {
                DatabaseSync sync = new DatabaseSync(source, store.tables(), executor, tally);
                for (String database : databases.get()) {
                    databasesSynced += sync.run(database) ? 1 : 0;
                }
            }
            if (everyDatabase && databasesSynced == databases.get().size()) {
                removeDroppedDatabases(databases.get(), tally);
            }
        }
        // Recorded unless nothing could be synced, so that a dead catalog shows as a stale cache.
        boolean record = databases.isPresent() && (databasesSynced > 0 || databases.get().isEmpty());
        Optional<Instant> syncedAt = record ? Optional.of(store.tables().markSynced()) : Optional.empty();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        metrics.passFinished(elapsed, syncedAt.orElse(null));
        SyncReport report = tally.report(elapsed, syncedAt);
        log(report);
        return report;
    }

    private Optional<List<String>> databasesToSync(SyncTally tally) {
        if (!config.healthSyncDatabases().isEmpty()) {
            return Optional.of(new ArrayList<>(config.healthSyncDatabases()));
        }
        try {
            return Optional.of(List.copyOf(source.databases()));
        } catch (RuntimeException e) {
            String message = SyncTally.describe(e);
            tally.catalogFailed(message);
            LOG.warn("Health sync: listing the catalog's databases failed, the cache is kept as it is: {}", message, e);
            return Optional.empty();
        }
    }

    private void removeDroppedDatabases(List<String> catalog, SyncTally tally) {
        try {
            tally.tablesRemoved(DroppedDatabases.removeAllBut(store.tables(), catalog));
        } catch (RuntimeException e) {
            String message = "removing the tables of dropped databases failed: " + SyncTally.describe(e);
            tally.catalogFailed(message);
            LOG.warn("Health sync: {}", message, e);
        }
    }

    private static void log(SyncReport report) {
        String summary = "Health sync: {} databases, {} tables synced, {} failed, {} removed, {} databases failed "
                + "in {} ms";
        Object[] args = {report.databases().size(), report.tablesSynced(), report.tablesFailed(),
                report.tablesRemoved(), report.databaseFailures().size(), report.duration().toMillis()};
        if (report.clean()) {
            LOG.info(summary, args);
        } else {
            LOG.warn(summary, args);
        }
    }

    @Override
    public synchronized void start(ScheduledExecutorService scheduler) {
        Duration interval = config.healthSyncInterval();
        if (interval.isZero()) {
            LOG.info("Health sync is disabled (health_sync.interval=0); not scheduling it");
            return;
        }
        loop.start(scheduler, Duration.ZERO, interval, this::runOnce, LOG, "Health sync pass");
        LOG.info("Health sync started: every {} ms, {} tables at a time, databases {}", interval.toMillis(),
                config.healthSyncConcurrency(),
                config.healthSyncDatabases().isEmpty() ? "all" : config.healthSyncDatabases());
    }

    @Override
    public synchronized void close() {
        loop.close();
    }
}
