package io.snowpack.core.sweeper;

import java.time.Duration;

/**
 * What one sweeper run did.
 *
 * @param skipped            why the run did nothing ({@code "not leader"}, {@code "drain mode"}), or null
 * @param claimsReclaimed    stale claims handed back to the queue for another attempt
 * @param jobsFailed         jobs failed: stale past {@code max_attempts}, or pending without a queue row
 * @param locksReleased      expired table locks released
 * @param locksRenewed       expired table locks kept for a job still waiting in the queue
 * @param jobsPruned         terminal jobs deleted after the retention
 * @param snapshotsPruned    health snapshots deleted after the retention
 * @param orchestratorRunsPruned orchestrator runs deleted after the retention
 * @param duration           how long the run took
 */
public record SweepReport(
        String skipped,
        int claimsReclaimed,
        int jobsFailed,
        int locksReleased,
        int locksRenewed,
        int jobsPruned,
        int snapshotsPruned,
        int orchestratorRunsPruned,
        Duration duration) {

    static SweepReport skipped(String why) {
        return new SweepReport(why, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO);
    }

    /** {@code true} when the run did something. */
    public boolean changedAnything() {
        return claimsReclaimed + jobsFailed + locksReleased + locksRenewed + jobsPruned + snapshotsPruned
                + orchestratorRunsPruned > 0;
    }
}
