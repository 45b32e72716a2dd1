package io.snowpack.core.config;

import io.snowpack.core.InvalidConfigurationException;
import io.snowpack.core.model.Text;

/** Builds the one shape of configuration error: the key, the bad value and what was expected. */
final class ConfigErrors {
    private ConfigErrors() {
    }

    /** "Invalid value '{value}' for {key}: expected {expected}", with {@code key()} set to {@code key}. */
    static InvalidConfigurationException invalid(String key, Object value, String expected) {
        return new InvalidConfigurationException(key,
                "Invalid value '" + Text.abbreviate(String.valueOf(value)) + "' for " + key + ": expected " + expected);
    }
}
