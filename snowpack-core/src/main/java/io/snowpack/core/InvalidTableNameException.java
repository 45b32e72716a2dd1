package io.snowpack.core;

/**
 * A database or table name breaks the naming rules (1–255 characters of {@code [a-z0-9_]}, starting with a
 * letter or underscore). Answered with HTTP 422.
 */
public class InvalidTableNameException extends SnowpackException {
    public InvalidTableNameException(String message) {
        super(ErrorCode.INVALID_TABLE_NAME, message);
    }
}
