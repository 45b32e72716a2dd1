package io.snowpack.core;

/**
 * A maintenance action failed. {@link #isTransient()} tells the worker's retry policy whether running the job
 * again may succeed (a commit conflict with a concurrent writer, a catalog or storage timeout) or not (a
 * corrupt file, a refused unsafe operation).
 */
public class ActionFailedException extends SnowpackException {
    private final boolean transientFailure;

    public ActionFailedException(String message, boolean transientFailure, Throwable cause) {
        super(ErrorCode.INTERNAL, message, cause);
        this.transientFailure = transientFailure;
    }

    /** A failure that a later attempt may not meet again. */
    public static ActionFailedException transientFailure(String message, Throwable cause) {
        return new ActionFailedException(message, true, cause);
    }

    /** A failure that would happen again on every attempt. */
    public static ActionFailedException permanentFailure(String message, Throwable cause) {
        return new ActionFailedException(message, false, cause);
    }

    /** {@code true} when a retry may succeed. */
    public boolean isTransient() {
        return transientFailure;
    }
}
