package io.snowpack.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A maintenance job as stored: one table, its actions in canonical order, its status and timestamps, the
 * result of every action that has ended, and the root cause when it failed.
 *
 * @param jobId       the job's id
 * @param table       the table maintained
 * @param actions     the actions in canonical order, never empty
 * @param dryRun      {@code true} for a preview that changes nothing
 * @param status      where the job is in its life cycle
 * @param submittedAt when the job was accepted (backend time)
 * @param startedAt   when a worker first marked it running, or {@code null}
 * @param completedAt when it reached a terminal state, or {@code null}
 * @param results     one entry per action that has ended, in the order they ended
 * @param error       the root cause of a failure or retry, or {@code null}
 * @param attempts    how many times a worker has claimed the job
 * @param trigger     who asked for it
 * @param stopConfirmedAt for a job cancelled while running: when its worker confirmed it had stopped (until then
 *                    the table stays locked, since a commit of the revoked attempt might still land), else
 *                    {@code null}
 */
public record Job(
        JobId jobId,
        TableId table,
        List<MaintenanceAction> actions,
        boolean dryRun,
        JobStatus status,
        Instant submittedAt,
        Instant startedAt,
        Instant completedAt,
        List<ActionResult> results,
        String error,
        int attempts,
        JobTrigger trigger,
        Instant stopConfirmedAt) {

    public Job {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(table, "table");
        actions = MaintenanceAction.canonical(actions);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(submittedAt, "submittedAt");
        results = results == null ? List.of() : List.copyOf(results);
        Objects.requireNonNull(trigger, "trigger");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0, got " + attempts);
        }
    }

    /** A job whose stop was never confirmed (not cancelled while running, or not yet). */
    public Job(JobId jobId, TableId table, List<MaintenanceAction> actions, boolean dryRun, JobStatus status,
            Instant submittedAt, Instant startedAt, Instant completedAt, List<ActionResult> results, String error,
            int attempts, JobTrigger trigger) {
        this(jobId, table, actions, dryRun, status, submittedAt, startedAt, completedAt, results, error, attempts,
                trigger, null);
    }

    /** This job with {@code value} as its results. */
    public Job withResults(List<ActionResult> value) {
        return new Job(jobId, table, actions, dryRun, status, submittedAt, startedAt, completedAt, value, error,
                attempts, trigger, stopConfirmedAt);
    }

    /** The database of the table (wire field {@code database}). */
    public String database() {
        return table.database();
    }

    /** The table name (wire field {@code table_name}). */
    public String tableName() {
        return table.table();
    }

    /** {@code true} when the job can no longer change. */
    public boolean isTerminal() {
        return status.isTerminal();
    }
}
