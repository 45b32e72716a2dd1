package io.snowpack.core;

/**
 * A maintenance action failed. {@link #isTransient()} tells the worker's retry policy whether running the job
 * again may succeed (a commit conflict with a concurrent writer, a catalog or storage timeout) or not (a
 * corrupt file, a refused unsafe operation). {@link #isUnavailable()} narrows a transient failure down to an
 * outage: the catalog or object store could not be reached at all, so nothing is wrong with the job and the
 * worker waits for the service instead of spending one of the job's attempts.
 */
public class ActionFailedException extends SnowpackException {
    private final boolean transientFailure;
    private final boolean unavailable;

    public ActionFailedException(String message, boolean transientFailure, Throwable cause) {
        this(message, transientFailure, false, cause);
    }

    private ActionFailedException(String message, boolean transientFailure, boolean unavailable, Throwable cause) {
        super(ErrorCode.INTERNAL, message, cause);
        this.transientFailure = transientFailure;
        this.unavailable = unavailable;
    }

    /** A failure that a later attempt may not meet again; the attempt counts towards {@code worker.max_attempts}. */
    public static ActionFailedException transientFailure(String message, Throwable cause) {
        return new ActionFailedException(message, true, cause);
    }

    /** A failure that would happen again on every attempt. */
    public static ActionFailedException permanentFailure(String message, Throwable cause) {
        return new ActionFailedException(message, false, cause);
    }

    /**
     * The catalog or object store could not be reached (connection refused, unknown host, timed out, 502/503/504);
     * nothing is wrong with the job. The worker hands the job back without counting the attempt, and waits
     * before claiming again; the job never fails for the outage alone. Also {@link #isTransient() transient}.
     */
    public static ActionFailedException unavailable(String message, Throwable cause) {
        return new ActionFailedException(message, true, true, cause);
    }

    /** {@code true} when a retry may succeed; always so for an {@link #isUnavailable() unavailable} service. */
    public boolean isTransient() {
        return transientFailure;
    }

    /** {@code true} when the catalog or object store could not be reached: the attempt does not count. */
    public boolean isUnavailable() {
        return unavailable;
    }
}
