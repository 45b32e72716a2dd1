package io.snowpack.core.config;

import static io.snowpack.core.config.ConfigErrors.invalid;

import java.util.Locale;
import java.util.Optional;

/**
 * Which executor maintains a table: the plain-Java one, a Spark one, or the one its size calls for. Written in
 * configuration ({@code executor.default}) and in the {@code snowpack.executor} table property by its wire name,
 * {@code local}, {@code spark} or {@code auto}.
 */
public enum ExecutorMode {
    /** The plain-Java executor, in the worker's own JVM. */
    LOCAL("local"),
    /** The Spark executor, when the deployment has one ({@code executor.spark_enabled}). */
    SPARK("spark"),
    /** Spark when the table holds at least {@code executor.spark_threshold_bytes} of data, else local. */
    AUTO("auto");

    /** The wire names, as messages list them. */
    public static final String WIRE_NAMES = "local, spark or auto";

    private final String wireName;

    ExecutorMode(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in configuration, table properties and on the wire: {@code local}, {@code spark}, {@code auto}. */
    public String wireName() {
        return wireName;
    }

    /** The mode whose wire name is {@code value}, ignoring case and surrounding blanks; empty for anything else. */
    public static Optional<ExecutorMode> of(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String name = value.trim().toLowerCase(Locale.ROOT);
        for (ExecutorMode mode : values()) {
            if (mode.wireName.equals(name)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }

    /**
     * The mode whose wire name is {@code value}, ignoring case and surrounding blanks.
     *
     * @throws io.snowpack.core.InvalidConfigurationException naming {@code key}, the bad value and the valid ones
     */
    static ExecutorMode parse(String key, String value) {
        return of(value).orElseThrow(() -> invalid(key, value, WIRE_NAMES));
    }

    /** The wire name, so logs and messages show what configuration accepts. */
    @Override
    public String toString() {
        return wireName;
    }
}
