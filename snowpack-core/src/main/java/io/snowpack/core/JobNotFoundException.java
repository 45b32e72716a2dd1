package io.snowpack.core;

/**
 * No job has the given id. Answered with HTTP 404.
 */
public class JobNotFoundException extends SnowpackException {
    private final String jobId;

    public JobNotFoundException(String jobId) {
        super(ErrorCode.JOB_NOT_FOUND, "Job not found: " + jobId);
        this.jobId = jobId;
    }

    /** The id that was looked up, as given. */
    public String jobId() {
        return jobId;
    }
}
