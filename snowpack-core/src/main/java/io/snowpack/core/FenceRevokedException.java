package io.snowpack.core;

/**
 * The caller's fence is no longer current: its job was cancelled, its claim reclaimed or its table lock lost.
 * Whoever receives it must stop before the next unit of work and write nothing more for the job, and an
 * executor must not commit. Thrown by a {@code Checkpoint}.
 */
public class FenceRevokedException extends SnowpackException {
    private final String jobId;

    public FenceRevokedException(String jobId, String reason) {
        super(ErrorCode.INTERNAL, "Fence revoked for job " + jobId + ": " + reason);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
