package io.snowpack.core.policy;

import io.snowpack.core.config.ExecutorMode;
import io.snowpack.core.model.Text;
import java.math.BigInteger;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Reads a table's properties by the rules of {@link TableSettings}; every value not used as written is reported. */
final class PropertyReader {
    /** How much of a bad value a problem quotes. */
    static final int QUOTED_LENGTH = 40;
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("\\+?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)");

    private final Map<String, String> properties;
    private final List<String> problems;

    PropertyReader(Map<String, String> properties, List<String> problems) {
        this.properties = properties;
        this.problems = problems;
    }

    /** The value of {@code key} as a whole number in [1, {@code max}] (clamped to {@code max}), else the fallback. */
    long wholeNumber(String key, long max, Supplier<Long> fallback) {
        return number(key, max, amount -> amount, fallback, String::valueOf);
    }

    /** A whole number that an action takes as an {@code int}: at most {@link Integer#MAX_VALUE}. */
    int count(String key, Supplier<Integer> fallback) {
        return number(key, Integer.MAX_VALUE, Math::toIntExact, fallback, String::valueOf);
    }

    /** The value of {@code key} as a whole number of {@code unit}s, at most {@code max} of them. */
    Duration duration(String key, ChronoUnit unit, long max, Supplier<Duration> fallback) {
        return number(key, max, amount -> Duration.of(amount, unit), fallback, Durations::human);
    }

    private <T> T number(String key, long max, Function<Long, T> toValue, Supplier<T> fallback,
            Function<T, String> show) {
        String raw = properties.get(key);
        if (raw == null) {
            return fallback.get();
        }
        String text = raw.trim();
        if (WHOLE_NUMBER.matcher(text).matches()) {
            BigInteger value = new BigInteger(text);
            if (value.compareTo(BigInteger.valueOf(max)) > 0) {
                T clamped = toValue.apply(max);
                problems.add(quote(key, raw) + " is more than " + max + "; using " + show.apply(clamped)
                        + " instead");
                return clamped;
            }
            if (value.signum() > 0) {
                return toValue.apply(value.longValueExact());
            }
        }
        T used = fallback.get();
        problems.add(quote(key, raw) + " is not a whole number >= 1; using " + show.apply(used) + " instead");
        return used;
    }

    /** The value of {@code key} as a plain decimal number in (0, 1], else {@code fallback}. */
    double ratio(String key, double fallback) {
        String raw = properties.get(key);
        if (raw == null) {
            return fallback;
        }
        String text = raw.trim();
        if (DECIMAL.matcher(text).matches()) {
            double value = Double.parseDouble(text);
            if (value > 0 && value <= 1) {
                return value;
            }
        }
        problems.add(quote(key, raw) + " is not a number in (0, 1]; using " + fallback + " instead");
        return fallback;
    }

    /** The value of {@code key} as a rewrite strategy, else {@link RewriteStrategy#TABLE_DEFAULT}. */
    RewriteStrategy strategy(String key) {
        String raw = properties.get(key);
        if (raw == null) {
            return RewriteStrategy.TABLE_DEFAULT;
        }
        return RewriteStrategy.parse(raw).orElseGet(() -> {
            problems.add(quote(key, raw) + " is not binpack, sort or zorder; using the table default (sort when "
                    + "it has a sort order, else binpack) instead");
            return RewriteStrategy.TABLE_DEFAULT;
        });
    }

    /** The value of {@code key} as an executor mode ({@code local}, {@code spark}, {@code auto}), else {@code fallback}. */
    ExecutorMode executor(String key, ExecutorMode fallback) {
        String raw = properties.get(key);
        if (raw == null) {
            return fallback;
        }
        return ExecutorMode.of(raw).orElseGet(() -> {
            problems.add(notAnExecutor(key, raw) + "; using " + fallback + " instead");
            return fallback;
        });
    }

    /** {@code <key>='<value>' is not local, spark or auto}: the one way a bad executor property is described. */
    static String notAnExecutor(String key, String raw) {
        return quote(key, raw) + " is not " + ExecutorMode.WIRE_NAMES;
    }

    /** The value of {@code key} as comma-separated names without blanks around them; empty names are reported. */
    List<String> names(String key) {
        String raw = properties.get(key);
        if (raw == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        boolean empty = false;
        for (String name : raw.split(",", -1)) {
            if (name.isBlank()) {
                empty = true;
            } else {
                names.add(name.trim());
            }
        }
        if (empty) {
            problems.add(quote(key, raw) + " has an empty column name; using " + names + " instead");
        }
        return List.copyOf(names);
    }

    /** The value of {@code key} as {@code true} or {@code false}, else {@code fallback}. */
    boolean bool(String key, boolean fallback) {
        Flag flag = flag(key, "using " + fallback + " instead");
        return flag == Flag.TRUE || (flag != Flag.FALSE && fallback);
    }

    /** The value of {@code key} as set; a value neither true nor false is reported with {@code consequence}. */
    Flag flag(String key, String consequence) {
        String raw = properties.get(key);
        Flag flag = Flag.of(raw);
        if (flag == Flag.INVALID) {
            problems.add(quote(key, raw) + " is neither true nor false; " + consequence);
        }
        return flag;
    }

    private static String quote(String key, String raw) {
        return key + "='" + abbreviate(raw) + "'";
    }

    static String abbreviate(String raw) {
        return Text.abbreviate(raw, QUOTED_LENGTH);
    }
}
