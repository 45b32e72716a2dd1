package io.snowpack.core.worker;

/** How a worker's handling of one claim ended, with the exit code run-once mode reports. */
public enum JobOutcome {
    /** Nothing was claimable. */
    IDLE(0),
    /** Every action finished; the job is completed. */
    COMPLETED(0),
    /** A transient failure: the job went back to the queue for a later attempt. */
    RETRY_SCHEDULED(0),
    /**
     * The catalog or object store could not be reached: the job went back to the queue (pending, claimable again
     * after a short capped backoff) without spending an attempt and without a failed result.
     */
    POSTPONED(0),
    /** A permanent failure, or the last attempt failed: the job is failed. */
    FAILED(1),
    /** The fence was revoked (cancelled, reclaimed, lock lost): the worker stopped and wrote nothing more. */
    REVOKED(2),
    /** The worker was shutting down: the job went back to the queue unfinished. */
    HANDED_BACK(3);

    private final int exitCode;

    JobOutcome(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The process exit code run-once mode uses for this outcome. */
    public int exitCode() {
        return exitCode;
    }
}
