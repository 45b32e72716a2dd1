package io.snowpack.core;

import java.util.Objects;

/**
 * Root of every exception Snowpack throws on purpose. Unchecked; each subclass names one kind of failure
 * through its {@link ErrorCode}, so an adapter can map it to a response without inspecting messages.
 */
public class SnowpackException extends RuntimeException {
    private final ErrorCode code;

    public SnowpackException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public SnowpackException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** What kind of failure this is. */
    public ErrorCode code() {
        return code;
    }
}
