package io.snowpack.core;

/**
 * The job is already completed, failed or cancelled; terminal jobs never change. Answered with HTTP 409.
 */
public class JobAlreadyTerminalException extends SnowpackException {
    private final String jobId;
    private final String status;

    public JobAlreadyTerminalException(String jobId, String status) {
        super(ErrorCode.JOB_ALREADY_TERMINAL, "Job " + jobId + " is already " + status + " and cannot be changed");
        this.jobId = jobId;
        this.status = status;
    }

    public String jobId() {
        return jobId;
    }

    /** The terminal status the job is in (wire name). */
    public String status() {
        return status;
    }
}
