package io.snowpack.core;

/**
 * A query parameter (status, limit, filter) that cannot be understood. The message names the parameter, the bad
 * value and what was expected. Answered with HTTP 422.
 */
public class InvalidParameterException extends SnowpackException {
    public InvalidParameterException(String message) {
        super(ErrorCode.INVALID_PARAMETER, message);
    }
}
