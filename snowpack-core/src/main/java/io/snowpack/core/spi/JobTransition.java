package io.snowpack.core.spi;

import io.snowpack.core.model.JobStatus;
import java.util.Objects;

/**
 * A status change to apply to a stored job, with the fields that go with it. The store stamps the times:
 * {@code started_at} on the first move to running, {@code completed_at} on a move to a terminal status.
 *
 * @param target   the new status
 * @param error    the error to record, or {@code null} to leave the stored one unchanged
 * @param attempts the attempt count to record with a move to running, or -1 to leave it unchanged
 */
public record JobTransition(JobStatus target, String error, int attempts) {
    public JobTransition {
        Objects.requireNonNull(target, "target");
        if (target == JobStatus.FAILED && (error == null || error.isBlank())) {
            throw new IllegalArgumentException("a transition to failed needs the error that caused it");
        }
        if (attempts < -1) {
            throw new IllegalArgumentException("attempts must be >= 0 (or -1 for unchanged), got " + attempts);
        }
    }

    /** A worker starts the job on its {@code attempt}-th claim. */
    public static JobTransition running(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
        }
        return new JobTransition(JobStatus.RUNNING, null, attempt);
    }

    /** Every action finished. */
    public static JobTransition completed() {
        return new JobTransition(JobStatus.COMPLETED, null, -1);
    }

    /** The job failed for good; {@code error} is the root cause. */
    public static JobTransition failed(String error) {
        return new JobTransition(JobStatus.FAILED, error, -1);
    }

    /** The job was cancelled. */
    public static JobTransition cancelled() {
        return new JobTransition(JobStatus.CANCELLED, null, -1);
    }

    /** The job goes back to pending for another attempt after a transient failure. */
    public static JobTransition retry(String error) {
        return new JobTransition(JobStatus.PENDING, error, -1);
    }
}
