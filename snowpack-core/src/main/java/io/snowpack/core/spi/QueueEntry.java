package io.snowpack.core.spi;

import io.snowpack.core.model.JobId;
import java.time.Instant;

/**
 * One row of the job queue as stored, for inspection.
 *
 * @param jobId     the queued job
 * @param visibleAt when the row becomes claimable
 * @param claimedAt when it was claimed or last heartbeated, or {@code null} while unclaimed
 * @param claimedBy the claiming worker, or {@code null} while unclaimed
 * @param attempts  how many times the job has been claimed
 * @param fence     the current fence token (0 before the first claim)
 */
public record QueueEntry(JobId jobId, Instant visibleAt, Instant claimedAt, String claimedBy, int attempts, long fence) {
    /** {@code true} while a worker holds the row. */
    public boolean isClaimed() {
        return claimedAt != null;
    }
}
