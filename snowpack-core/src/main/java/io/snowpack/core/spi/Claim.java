package io.snowpack.core.spi;

import io.snowpack.core.model.JobId;
import java.time.Instant;
import java.util.Objects;

/**
 * A worker's claim on one queued job. The {@code fence} is the proof of ownership: every later write for the
 * job (heartbeat, result, complete, retry, release) carries it and is refused once it is no longer current.
 *
 * @param jobId     the claimed job
 * @param workerId  the worker that claimed it
 * @param fence     the fence token of this claim; grows with every claim
 * @param attempts  how many times the job has been claimed, this claim included (1 on the first claim)
 * @param claimedAt when the claim was made (backend time)
 */
public record Claim(JobId jobId, String workerId, long fence, int attempts, Instant claimedAt) {
    public Claim {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(claimedAt, "claimedAt");
    }
}
