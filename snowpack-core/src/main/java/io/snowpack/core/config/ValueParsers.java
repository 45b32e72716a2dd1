package io.snowpack.core.config;

import static io.snowpack.core.config.ConfigErrors.invalid;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns configuration text into values and values back into text the parsers accept. A parse failure names the
 * key, the text and the accepted forms; nothing is guessed or replaced.
 */
final class ValueParsers {
    static final String DURATION_FORMATS =
            "a duration: 0, a whole number with a unit ms, s, m, h or d (500ms, 30s, 15m, 2h, 90d), "
                    + "or ISO-8601 (PT30M)";
    private static final Pattern UNIT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private ValueParsers() {
    }

    static Duration parseDuration(String key, String raw) {
        String text = raw.trim();
        try {
            if (text.equals("0")) {
                return Duration.ZERO;
            }
            Matcher unit = UNIT_DURATION.matcher(text);
            if (unit.matches()) {
                long amount = Long.parseLong(unit.group(1));
                switch (unit.group(2)) {
                    case "ms": return Duration.ofMillis(amount);
                    case "s": return Duration.ofSeconds(amount);
                    case "m": return Duration.ofMinutes(amount);
                    case "h": return Duration.ofHours(amount);
                    default: return Duration.ofDays(amount);
                }
            }
            if (text.startsWith("P") || text.startsWith("p")) {
                return Duration.parse(text);
            }
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            // too large, or not ISO-8601 after all: reported below
        }
        throw invalid(key, raw, DURATION_FORMATS);
    }

    static int parseInt(String key, String raw) {
        String text = raw.trim();
        try {
            if (INTEGER.matcher(text).matches()) {
                return Integer.parseInt(text);
            }
        } catch (NumberFormatException e) {
            // out of range: reported below
        }
        throw invalid(key, raw, "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
    }

    static long parseLong(String key, String raw) {
        String text = raw.trim();
        try {
            if (INTEGER.matcher(text).matches()) {
                return Long.parseLong(text);
            }
        } catch (NumberFormatException e) {
            // out of range: reported below
        }
        throw invalid(key, raw, "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
    }

    static double parseDouble(String key, String raw) {
        String text = raw.trim();
        if (DECIMAL.matcher(text).matches()) {
            double value = Double.parseDouble(text);
            if (Double.isFinite(value)) {
                return value;
            }
        }
        throw invalid(key, raw, "a decimal number such as 0.25");
    }

    /** Only {@code true} or {@code false}, in any case: {@code yes}, {@code 1} and the like are errors. */
    static boolean parseBoolean(String key, String raw) {
        String text = raw.trim();
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(key, raw, "true or false");
    }

    /** A comma-separated list: entries trimmed, empty entries dropped, order kept. */
    static List<String> parseList(String raw) {
        List<String> entries = new ArrayList<>();
        for (String entry : raw.split(",")) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                entries.add(trimmed);
            }
        }
        return entries;
    }

    /** The shortest text {@link #parseDuration} reads back as exactly {@code value}. */
    static String formatDuration(Duration value) {
        if (value == null) {
            return "null";
        }
        if (value.isZero()) {
            return "0";
        }
        if (value.isNegative() || value.getNano() % 1_000_000 != 0) {
            return value.toString();
        }
        long millis = value.toMillis();
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

    /** A decimal without a needless trailing {@code .0} ({@code 0.1}, {@code 1}); exact, so it reads back. */
    static String formatDouble(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
