package io.snowpack.core;

/**
 * A backend (database, catalog, storage) failed or could not be reached; the cause carries the driver's error.
 * Whether the operation took effect is unknown unless the backend says otherwise; callers may retry.
 * Answered with HTTP 503.
 */
public class BackendException extends SnowpackException {
    public BackendException(String message, Throwable cause) {
        super(ErrorCode.BACKEND_UNAVAILABLE, message, cause);
    }
}
