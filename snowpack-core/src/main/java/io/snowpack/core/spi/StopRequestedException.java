package io.snowpack.core.spi;

import io.snowpack.core.ErrorCode;
import io.snowpack.core.SnowpackException;

/**
 * Thrown by a {@link Checkpoint} when the worker running the job is shutting down (SIGTERM, Ctrl-C, the end of a
 * run-once Kubernetes Job). It is a signal, not a failure: an executor must let it propagate unchanged (never
 * wrap or classify it) and commit nothing more, and the worker then hands the job back to the queue for another
 * worker to resume.
 */
public final class StopRequestedException extends SnowpackException {
    public StopRequestedException(String jobId) {
        super(ErrorCode.INTERNAL, "Worker is shutting down: job " + jobId + " goes back to the queue");
    }
}
