package io.snowpack.core.config;

import static io.snowpack.core.config.ConfigErrors.invalid;
import static io.snowpack.core.config.ValueParsers.DURATION_FORMATS;
import static io.snowpack.core.config.ValueParsers.formatDouble;
import static io.snowpack.core.config.ValueParsers.formatDuration;

import io.snowpack.core.model.TableId;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Range checks run when a configuration is built. Each returns the value it accepted or throws an
 * {@link io.snowpack.core.InvalidConfigurationException} naming the setting's key, the value and what was
 * expected.
 */
final class ValueChecks {
    private ValueChecks() {
    }

    static Duration positive(Setting setting, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(setting.key(), formatDuration(value), "a duration > 0 (" + DURATION_FORMATS + ")");
        }
        return value;
    }

    static Duration zeroOrPositive(Setting setting, Duration value) {
        if (value == null || value.isNegative()) {
            throw invalid(setting.key(), formatDuration(value), "a duration >= 0 (" + DURATION_FORMATS + ")");
        }
        return value;
    }

    static Duration wholeSeconds(Setting setting, Duration value) {
        if (value == null || value.getSeconds() < 1 || value.getNano() != 0) {
            throw invalid(setting.key(), formatDuration(value), "a whole number of seconds, at least 1s");
        }
        return value;
    }

    static int atLeast(Setting setting, int value, int min) {
        if (value < min) {
            throw invalid(setting.key(), value, "a whole number >= " + min);
        }
        return value;
    }

    static long atLeast(Setting setting, long value, long min) {
        if (value < min) {
            throw invalid(setting.key(), value, "a whole number >= " + min);
        }
        return value;
    }

    /** A fraction from 0 to 1, both included. */
    static double fraction(Setting setting, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw invalid(setting.key(), formatDouble(value), "a number from 0 to 1");
        }
        return value;
    }

    /** A fraction above 0 and at most 1. */
    static double positiveFraction(Setting setting, double value) {
        if (!(value > 0 && value <= 1)) {
            throw invalid(setting.key(), formatDouble(value), "a number greater than 0 and at most 1");
        }
        return value;
    }

    static <T> T present(Setting setting, T value, String expected) {
        if (value == null) {
            throw invalid(setting.key(), null, expected);
        }
        return value;
    }

    /** Valid database names, as a sorted unmodifiable set. */
    static Set<String> databaseNames(Setting setting, Collection<String> names) {
        if (names == null) {
            throw invalid(setting.key(), null, "a list of database names, possibly empty");
        }
        Set<String> sorted = new TreeSet<>();
        for (String name : names) {
            if (!TableId.isValidName(name)) {
                throw invalid(setting.key(), name,
                        "database names of 1-" + TableId.MAX_NAME_LENGTH
                                + " characters of [a-z0-9_], starting with a letter or underscore");
            }
            sorted.add(name);
        }
        return Collections.unmodifiableSet(sorted);
    }
}
