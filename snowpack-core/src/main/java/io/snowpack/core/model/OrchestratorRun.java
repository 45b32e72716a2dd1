package io.snowpack.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One pass of the orchestrator over the cached tables of its allowed databases, as recorded in
 * {@code orchestrator_runs}. Every assessed table ends in exactly one of skipped, healthy, submitted or failed,
 * so {@code tablesAssessed = tablesSkipped + tablesHealthy + jobsSubmitted + tablesFailed}.
 *
 * @param runId           the id the run log assigned; 0 before it is recorded
 * @param leader          the process that ran it (its leader-election holder id)
 * @param startedAt       when the pass started (backend time)
 * @param finishedAt      when it ended (backend time)
 * @param tablesAssessed  cached tables of allowed databases looked at
 * @param tablesSkipped   tables left alone: a gate failed, or maintenance was already in progress
 * @param tablesHealthy   eligible tables whose health called for nothing
 * @param jobsSubmitted   jobs submitted with trigger {@code orchestrator}
 * @param tablesFailed    tables whose assessment or submission failed for another reason than a job in progress
 *                        (logged with the cause)
 * @param skippedByReason how many tables each skip reason accounts for, keyed by its wire name
 *                        ({@code not_opted_in}, {@code compaction_skip}, {@code within_cadence},
 *                        {@code in_progress}, …)
 * @param error           why the pass stopped early (drain mode, backend failure); {@code null} when it finished
 */
public record OrchestratorRun(
        long runId,
        String leader,
        Instant startedAt,
        Instant finishedAt,
        int tablesAssessed,
        int tablesSkipped,
        int tablesHealthy,
        int jobsSubmitted,
        int tablesFailed,
        Map<String, Integer> skippedByReason,
        String error) {

    /** Skip reason of a table whose lock another job holds (the submission's 409). */
    public static final String IN_PROGRESS = "in_progress";

    public OrchestratorRun {
        Objects.requireNonNull(leader, "leader");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        if (finishedAt.isBefore(startedAt)) {
            throw new IllegalArgumentException("finishedAt " + finishedAt + " is before startedAt " + startedAt);
        }
        if (runId < 0 || tablesAssessed < 0 || tablesSkipped < 0 || tablesHealthy < 0 || jobsSubmitted < 0
                || tablesFailed < 0) {
            throw new IllegalArgumentException("run id and counts must be >= 0");
        }
        if (tablesSkipped + tablesHealthy + jobsSubmitted + tablesFailed != tablesAssessed) {
            throw new IllegalArgumentException("tables assessed (" + tablesAssessed + ") must equal skipped ("
                    + tablesSkipped + ") + healthy (" + tablesHealthy + ") + submitted (" + jobsSubmitted
                    + ") + failed (" + tablesFailed + ")");
        }
        skippedByReason = skippedByReason == null ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(skippedByReason));
        if (skippedByReason.values().stream().mapToInt(Integer::intValue).sum() != tablesSkipped) {
            throw new IllegalArgumentException(
                    "skipped by reason " + skippedByReason + " must add up to tables skipped (" + tablesSkipped + ")");
        }
    }

    /** How long the pass took. */
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    /** The same run with the id the run log assigned. */
    public OrchestratorRun withRunId(long id) {
        return new OrchestratorRun(id, leader, startedAt, finishedAt, tablesAssessed, tablesSkipped, tablesHealthy,
                jobsSubmitted, tablesFailed, skippedByReason, error);
    }
}
