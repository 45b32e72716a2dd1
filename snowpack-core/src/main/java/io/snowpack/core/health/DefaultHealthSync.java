package io.snowpack.core.health;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.leader.Leadership;
import io.snowpack.core.leader.LeadershipLostException;
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

/**
 * The {@link HealthSync} the builder makes. A pass runs only while this process leads health sync; its databases
 * are listed one after another on the calling thread while their tables are measured on one bounded pool shared by
 * the whole pass, so a slow database does not hold back the next one.
 */
final class DefaultHealthSync implements HealthSync {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultHealthSync.class);
    /** Longest wait between two checks whether a pass is due (and whether this process took over the lead). */
    static final Duration MAX_POLL = Duration.ofMinutes(1);

    private final SnowpackStore store;
    private final TableSource source;
    private final SnowpackConfig config;
    private final Leadership leadership;
    private final HealthSyncMetrics metrics;
    private final Object passLock = new Object();
    private final PeriodicTask loop = new PeriodicTask("Health sync");
    /** When this process's last pass attempt ended (backend time), whether or not it recorded a sync. */
    private volatile Instant lastAttemptEnded;

    DefaultHealthSync(Builder b) {
        store = b.store;
        source = b.source;
        config = b.config;
        leadership = b.leadership;
        metrics = new HealthSyncMetrics(b.meterRegistry);
    }

    @Override
    public SyncReport runOnce() {
        synchronized (passLock) {
            if (!leadership.isLeader()) {
                LOG.debug("Health sync idle: {} does not lead health sync", leadership.holderId());
                return SyncReport.notLeader();
            }
            try (PassMarker marker = PassMarker.open(store.leaders(), leadership.holderId(),
                    config.leaderLeaseTtl())) {
                return pass(marker);
            } finally {
                markAttemptEnded();
            }
        }
    }

    @Override
    public Optional<SyncReport> runIfDue() {
        synchronized (passLock) {
            if (!leadership.isLeader()) {
                return Optional.empty();
            }
            Instant now = store.now();
            Duration interval = config.healthSyncInterval();
            Optional<Instant> lastSynced = store.tables().status().lastSynced();
            boolean syncDue = lastSynced.isEmpty() || !now.isBefore(lastSynced.get().plus(interval));
            boolean attemptDue = lastAttemptEnded == null || !now.isBefore(lastAttemptEnded.plus(interval));
            return syncDue && attemptDue ? Optional.of(runOnce()) : Optional.empty();
        }
    }

    /** Remembers when this attempt ended; when the backend cannot tell, the next check may try again. */
    private void markAttemptEnded() {
        try {
            lastAttemptEnded = store.now();
        } catch (RuntimeException e) {
            LOG.debug("Health sync: the backend's time is unknown; the next check may start a pass", e);
        }
    }

    private SyncReport pass(PassMarker marker) {
        long start = System.nanoTime();
        SyncTally tally = new SyncTally(metrics);
        PassGuard guard = new PassGuard(leadership);
        boolean everyDatabase = config.healthSyncDatabases().isEmpty();
        Optional<List<String>> databases = databasesToSync(tally);
        if (databases.isPresent()) {
            int concurrency = config.healthSyncConcurrency();
            try (BoundedExecutor executor = new BoundedExecutor(concurrency, "snowpack-health-sync")) {
                DatabaseSync sync = new DatabaseSync(source, store, executor, tally, guard, marker);
                for (String database : databases.get()) {
                    if (!guard.mayContinue()) {
                        break;
                    }
                    sync.start(database);
                }
                executor.awaitIdle();
            }
            if (everyDatabase && !guard.stopped() && tally.databasesSynced() == databases.get().size()) {
                removeDroppedDatabases(databases.get(), tally, guard);
            }
        }
        // Recorded unless nothing could be synced, so that a dead catalog shows as a stale cache.
        boolean record = databases.isPresent() && !guard.stopped()
                && (tally.databasesSynced() > 0 || databases.get().isEmpty());
        Optional<Instant> syncedAt = Optional.empty();
        if (record) {
            try {
                syncedAt = Optional.of(guard.fenced(store, stores -> stores.tables().markSynced()));
            } catch (LeadershipLostException e) {
                LOG.warn("Health sync pass not recorded: {}", e.getMessage());
            }
        }
        SyncReport.Outcome outcome = guard.stopped() ? SyncReport.Outcome.LEADERSHIP_LOST
                : SyncReport.Outcome.COMPLETED;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        metrics.passFinished(elapsed, syncedAt.orElse(null), outcome);
        SyncReport report = tally.report(elapsed, syncedAt, outcome);
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

    private void removeDroppedDatabases(List<String> catalog, SyncTally tally, PassGuard guard) {
        try {
            tally.tablesRemoved(guard.fenced(store, stores -> DroppedDatabases.removeAllBut(stores.tables(), catalog)));
        } catch (LeadershipLostException e) {
            LOG.warn("Health sync: the tables of dropped databases were not removed: {}", e.getMessage());
        } catch (RuntimeException e) {
            String message = "removing the tables of dropped databases failed: " + SyncTally.describe(e);
            tally.catalogFailed(message);
            LOG.warn("Health sync: {}", message, e);
        }
    }

    private static void log(SyncReport report) {
        String summary = "Health sync pass {}: {} databases, {} tables synced, {} failed, {} removed, {} databases "
                + "failed in {} ms";
        Object[] args = {report.outcome(), report.databases().size(), report.tablesSynced(), report.tablesFailed(),
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
        Duration poll = interval.compareTo(MAX_POLL) < 0 ? interval : MAX_POLL;
        loop.start(scheduler, Duration.ZERO, poll, this::runIfDue, LOG, "Health sync pass");
        LOG.info("Health sync started: every {} ms while {} leads health sync, {} tables at a time, databases {}",
                interval.toMillis(), leadership.holderId(), config.healthSyncConcurrency(),
                config.healthSyncDatabases().isEmpty() ? "all" : config.healthSyncDatabases());
    }

    @Override
    public synchronized void close() {
        loop.close();
    }
}
