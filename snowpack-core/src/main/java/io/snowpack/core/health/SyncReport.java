package io.snowpack.core.health;

import io.snowpack.core.model.TableId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one health-sync pass did. Counts are exact; the failure lists keep at most
 * {@link #MAX_LISTED_FAILURES} entries each so that a broken catalog cannot make a report unbounded.
 *
 * @param databases        the databases the pass covered, in the order synced
 * @param tablesSynced     tables whose health was computed and stored
 * @param tablesFailed     tables whose health could not be computed or stored (their cached rows were kept)
 * @param tableFailures    the first failing tables, each with its error message
 * @param databaseFailures databases whose listing failed (their cached tables were kept)
 * @param tablesRemoved    cached tables removed because the source no longer lists them
 * @param duration         how long the pass took
 * @param syncedAt         the {@code last_synced} time recorded, empty when the pass recorded none (every
 *                         database failed, or the list of databases could not be read)
 */
public record SyncReport(
        List<String> databases,
        int tablesSynced,
        int tablesFailed,
        List<TableFailure> tableFailures,
        List<DatabaseFailure> databaseFailures,
        int tablesRemoved,
        Duration duration,
        Optional<Instant> syncedAt) {

    /** Most failures of each kind listed in a report. */
    public static final int MAX_LISTED_FAILURES = 100;

    public SyncReport {
        databases = List.copyOf(databases);
        tableFailures = List.copyOf(tableFailures);
        databaseFailures = List.copyOf(databaseFailures);
        Objects.requireNonNull(duration, "duration");
        syncedAt = syncedAt == null ? Optional.empty() : syncedAt;
    }

    /** {@code true} when no table and no database failed. */
    public boolean clean() {
        return tablesFailed == 0 && databaseFailures.isEmpty();
    }

    /**
     * A table whose health could not be computed or stored.
     *
     * @param table   the table
     * @param message the error, as logged
     */
    public record TableFailure(TableId table, String message) {
    }

    /**
     * A database whose tables could not be listed, or {@code "*"} when the list of databases itself failed.
     *
     * @param database the database
     * @param message  the error, as logged
     */
    public record DatabaseFailure(String database, String message) {
    }
}
