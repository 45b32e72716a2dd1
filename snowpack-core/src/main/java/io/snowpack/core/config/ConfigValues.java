package io.snowpack.core.config;

import io.snowpack.core.InvalidConfigurationException;
import io.snowpack.core.model.TableId;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing and checking of configuration values; every failure names the key, the value and what was expected. */
final class ConfigValues {
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    static final String DURATION_FORMATS = "a duration such as 500ms, 30s, 15m, 2h, 90d or ISO-8601 PT30M";

    private ConfigValues() {
    }

    static Duration parseDuration(String key, String raw) {
        String value = raw.trim();
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher simple = SIMPLE_DURATION.matcher(value);
        try {
            if (simple.matches()) {
                long amount = Long.parseLong(simple.group(1));
                switch (simple.group(2)) {
                    case "ms": return Duration.ofMillis(amount);
                    case "s": return Duration.ofSeconds(amount);
                    case "m": return Duration.ofMinutes(amount);
                    case "h": return Duration.ofHours(amount);
                    default: return Duration.ofDays(amount);
                }
            }
            if (value.regionMatches(true, 0, "P", 0, 1)) {
                return Duration.parse(value);
            }
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            // fall through to the error naming the key
        }
        throw invalid(key, raw, DURATION_FORMATS);
    }

    static int parseInt(String key, String raw) {
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, raw, "a whole number");
        }
    }

    static long parseLong(String key, String raw) {
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, raw, "a whole number");
        }
    }

    static double parseDouble(String key, String raw) {
        try {
            double value = Double.parseDouble(raw.trim());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw invalid(key, raw, "a decimal number");
    }

    static boolean parseBoolean(String key, String raw) {
        String value = raw.trim();
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(key, raw, "true or false");
    }

    /** A comma-separated list, trimmed, without empty entries. */
    static Set<String> parseList(String raw) {
        Set<String> values = new TreeSet<>();
        Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(values::add);
        return values;
    }

    static InvalidConfigurationException invalid(String key, Object value, String expected) {
        return new InvalidConfigurationException(key,
                "Invalid value '" + value + "' for " + key + ": expected " + expected);
    }

    static Duration positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(key, format(value), "a positive duration (" + DURATION_FORMATS + ")");
        }
        return value;
    }

    static Duration nonNegative(String key, Duration value) {
        if (value == null || value.isNegative()) {
            throw invalid(key, format(value), "a duration >= 0 (" + DURATION_FORMATS + ")");
        }
        return value;
    }

    static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw invalid(key, value, "a whole number >= " + min);
        }
        return value;
    }

    static long atLeast(String key, long value, long min) {
        if (value < min) {
            throw invalid(key, value, "a whole number >= " + min);
        }
        return value;
    }

    static Set<String> databases(String key, Collection<String> names) {
        Set<String> copy = new TreeSet<>();
        for (String name : names) {
            if (!TableId.isValidName(name)) {
                throw invalid(key, name, "database names of 1-255 characters of [a-z0-9_], starting with a letter "
                        + "or underscore");
            }
            copy.add(name);
        }
        return java.util.Collections.unmodifiableSet(copy);
    }

    /** A duration the way the parser accepts it, for messages and descriptions. */
    static String format(Duration value) {
        if (value == null) {
            return "null";
        }
        if (value.isZero()) {
            return "0";
        }
        long millis = value.toMillis();
        if (value.toNanos() % 1_000_000 != 0) {
            return value.toString();
        }
        if (millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
