package io.snowpack.core;

/**
 * A configuration value is missing, malformed or out of range. The message names the key, the bad value and
 * what was expected. Thrown at start-up, never later.
 */
public class InvalidConfigurationException extends SnowpackException {
    private final String key;

    public InvalidConfigurationException(String key, String message) {
        super(ErrorCode.INVALID_CONFIGURATION, message);
        this.key = key;
    }

    /** The configuration key at fault (property form, e.g. {@code health_sync.concurrency}). */
    public String key() {
        return key;
    }
}
