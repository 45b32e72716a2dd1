package io.snowpack.core.health;

import io.snowpack.core.model.TableId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running counts of one pass, updated from many threads, and the failures worth listing (at most
 * {@link SyncReport#MAX_LISTED_FAILURES} of each kind). Every update is also counted in the metrics.
 */
final class SyncTally {
    private final HealthSyncMetrics metrics;
    private final AtomicInteger synced = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger removed = new AtomicInteger();
    private final AtomicInteger databasesSynced = new AtomicInteger();
    private final List<SyncReport.TableFailure> tableFailures = new ArrayList<>();
    private final List<SyncReport.DatabaseFailure> databaseFailures = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();

    SyncTally(HealthSyncMetrics metrics) {
        this.metrics = metrics;
    }

    void tableSynced() {
        synced.incrementAndGet();
        metrics.tableSynced();
    }

    synchronized void tableFailed(TableId table, String message) {
        failed.incrementAndGet();
        metrics.tableFailed();
        if (tableFailures.size() < SyncReport.MAX_LISTED_FAILURES) {
            tableFailures.add(new SyncReport.TableFailure(table, message));
        }
    }

    void tablesRemoved(int count) {
        removed.addAndGet(count);
        metrics.tablesRemoved(count);
    }

    /** The pass starts on {@code database}: the report lists databases in this order. */
    synchronized void databaseStarted(String database) {
        databases.add(database);
    }

    void databaseSynced() {
        databasesSynced.incrementAndGet();
        metrics.databaseSynced();
    }

    synchronized void databaseFailed(String database, String message) {
        metrics.databaseFailed();
        if (databaseFailures.size() < SyncReport.MAX_LISTED_FAILURES) {
            databaseFailures.add(new SyncReport.DatabaseFailure(database, message));
        }
    }

    /** The list of databases itself could not be read: reported as database {@code "*"}. */
    synchronized void catalogFailed(String message) {
        metrics.databaseFailed();
        databaseFailures.add(new SyncReport.DatabaseFailure("*", message));
    }

    /** Databases whose every table was handled and whose dropped tables were removed. */
    int databasesSynced() { return databasesSynced.get(); }

    synchronized SyncReport report(Duration duration, Optional<Instant> syncedAt, SyncReport.Outcome outcome) {
        return new SyncReport(databases, synced.get(), failed.get(), tableFailures, databaseFailures, removed.get(),
                duration, syncedAt, outcome);
    }

    /** A one-line description of {@code e} for logs and reports. */
    static String describe(RuntimeException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }
}
