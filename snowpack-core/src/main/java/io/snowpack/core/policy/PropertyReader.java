package io.snowpack.core.policy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads a table's properties with fallbacks. A value that cannot be parsed, or is out of range, is replaced by the
 * fallback and a reason naming the key, the bad value and the value used is added to the plan.
 */
final class PropertyReader {
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d{1,18}");

    private final Map<String, String> properties;
    private final List<String> reasons;

    PropertyReader(Map<String, String> properties, List<String> reasons) {
        this.properties = properties;
        this.reasons = reasons;
    }

    /** The value of {@code key} as a whole number of at least {@code min}, else {@code fallback}. */
    long wholeNumber(String key, long min, Supplier<Long> fallback) {
        return read(key, raw -> parseWholeNumber(raw, min), "a whole number >= " + min, fallback, String::valueOf);
    }

    /** The value of {@code key} as a whole number (at least 1) of {@code unit}, else {@code fallback}. */
    Duration duration(String key, ChronoUnit unit, Supplier<Duration> fallback) {
        return read(key, raw -> parseWholeNumber(raw, 1).map(amount -> Duration.of(amount, unit)),
                "a whole number >= 1", fallback, Durations::human);
    }

    private <T> T read(String key, Function<String, Optional<T>> parse, String expected, Supplier<T> fallback,
            Function<T, String> show) {
        String raw = properties.get(key);
        if (raw == null) {
            return fallback.get();
        }
        Optional<T> value = parse.apply(raw);
        if (value.isPresent()) {
            return value.get();
        }
        T used = fallback.get();
        reasons.add(key + "='" + abbreviate(raw) + "' is not " + expected + "; using " + show.apply(used)
                + " instead");
        return used;
    }

    private static Optional<Long> parseWholeNumber(String raw, long min) {
        String text = raw.trim();
        if (!WHOLE_NUMBER.matcher(text).matches()) {
            return Optional.empty();
        }
        long value = Long.parseLong(text);
        return value >= min ? Optional.of(value) : Optional.empty();
    }

    static String abbreviate(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 37) + "...";
    }
}
