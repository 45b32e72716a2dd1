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
 * @param databases        the databases the pass covered, in the order their syncs started
 * @param tablesSynced     tables whose health was computed and stored
 * @param tablesFailed     tables whose health could not be computed or stored (their cached rows were kept)
 * @param tableFailures    the first failing tables, each with its error message
 * @param databaseFailures databases whose listing failed (their cached tables were kept)
 * @param tablesRemoved    cached tables removed because the source no longer lists them
 * @param duration         how long the pass took
 * @param syncedAt         the {@code last_synced} time recorded, empty when the pass recorded none (every
 *                         database failed, the list of databases could not be read, or the pass did not complete)
 * @param outcome          whether the pass ran to its end, stopped because this process lost the health-sync lead,
 *                         or did not run because another process leads
 */
public record SyncReport(
        List<String> databases,
        int tablesSynced,
        int tablesFailed,
        List<TableFailure> tableFailures,
        List<DatabaseFailure> databaseFailures,
        int tablesRemoved,
        Duration duration,
        Optional<Instant> syncedAt,
        Outcome outcome) {

    /** Most failures of each kind listed in a report. */
    public static final int MAX_LISTED_FAILURES = 100;

    public SyncReport {
        databases = List.copyOf(databases);
        tableFailures = List.copyOf(tableFailures);
        databaseFailures = List.copyOf(databaseFailures);
        Objects.requireNonNull(duration, "duration");
        syncedAt = syncedAt == null ? Optional.empty() : syncedAt;
        Objects.requireNonNull(outcome, "outcome");
    }

    /** The report of a pass that did not run because this process does not lead health sync. */
    static SyncReport notLeader() {
        return new SyncReport(List.of(), 0, 0, List.of(), List.of(), 0, Duration.ZERO, Optional.empty(),
                Outcome.NOT_LEADER);
    }

    /** {@code true} when the pass completed and no table and no database failed. */
    public boolean clean() {
        return outcome == Outcome.COMPLETED && tablesFailed == 0 && databaseFailures.isEmpty();
    }

    /** How a pass ended. */
    public enum Outcome {
        /** Every database was visited (failures, if any, are in the report). */
        COMPLETED,
        /**
         * This process lost the health-sync lead during the pass: it started no further table, removed nothing
         * more and recorded no {@code last_synced}; the new leader's next pass covers everything again.
         */
        LEADERSHIP_LOST,
        /** Another process leads health sync: nothing was read or written. */
        NOT_LEADER
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
