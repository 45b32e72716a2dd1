package io.snowpack.core.config;

import io.snowpack.core.InvalidConfigurationException;

/** Builds the one shape of configuration error: the key, the bad value and what was expected. */
final class ConfigErrors {
    private static final int MAX_SHOWN_LENGTH = 80;

    private ConfigErrors() {
    }

    /** "Invalid value '{value}' for {key}: expected {expected}", with {@code key()} set to {@code key}. */
    static InvalidConfigurationException invalid(String key, Object value, String expected) {
        return new InvalidConfigurationException(key,
                "Invalid value '" + abbreviate(String.valueOf(value)) + "' for " + key + ": expected " + expected);
    }

    /** Keeps messages readable when someone pastes a 10 KB value. */
    static String abbreviate(String value) {
        return value.length() <= MAX_SHOWN_LENGTH ? value : value.substring(0, MAX_SHOWN_LENGTH - 3) + "...";
    }
}
