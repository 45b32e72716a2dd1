package io.snowpack.core.spi;

import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobStatus;
import java.util.Objects;

/**
 * A job that a worker claimed and started in one step ({@link SnowpackStore#claimAndStart}): its queue claim is
 * current, its status is {@code running} with the claim's attempt, and its table lock is held by the job with a
 * full TTL ahead.
 *
 * @param claim the queue claim; every later write for the job carries its fence
 * @param job   the job as started, with the results of earlier attempts
 * @param lease the job's table lock
 */
public record StartedJob(Claim claim, Job job, Lease lease) {
    public StartedJob {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(lease, "lease");
        if (!claim.jobId().equals(job.jobId()) || job.status() != JobStatus.RUNNING) {
            throw new IllegalArgumentException("a started job is the claimed job, running; got " + job.jobId() + " ("
                    + job.status().wireName() + ") for the claim on " + claim.jobId());
        }
    }
}
