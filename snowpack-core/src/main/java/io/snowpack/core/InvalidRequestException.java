package io.snowpack.core;

/**
 * A request that cannot be carried out as written: an empty, blank or unknown action, a malformed body or id.
 * Answered with HTTP 400; nothing is written for it.
 */
public class InvalidRequestException extends SnowpackException {
    public InvalidRequestException(String message) {
        super(ErrorCode.INVALID_REQUEST, message);
    }

    protected InvalidRequestException(ErrorCode code, String message) {
        super(code, message);
    }
}
