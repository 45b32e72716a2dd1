package io.snowpack.core.policy;

import io.snowpack.core.config.ExecutorMode;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.TableHealth;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which executor maintains a table, from its cached health alone: a pure function (no I/O, no clock), safe
 * to call from any thread, so the maintenance plan and the routing executor always agree on the same health. The
 * rules, in order:
 * <ol>
 *   <li>{@code executor.spark_enabled=false}: {@link ExecutorKind#LOCAL}, whatever the table asks for; the reason
 *       says the deployment has no Spark executor, and that a table's (or the default's) {@code spark} cannot be
 *       honoured here.</li>
 *   <li>The mode is the table's {@code snowpack.executor} ({@code local}, {@code spark} or {@code auto}, any case,
 *       blanks ignored); unset or unusable, {@code executor.default}. An unusable value is named, with its key, in the
 *       reason (and in {@link TableSettings#problems()}).</li>
 *   <li>{@code local} and {@code spark} are obeyed. {@code auto} is {@link ExecutorKind#SPARK} when
 *       {@link TableHealth#totalBytes()} is at least {@code executor.spark_threshold_bytes}, else
 *       {@link ExecutorKind#LOCAL}; the reason gives both sizes.</li>
 * </ol>
 * Every reason is one sentence starting with {@code "executor: "} and the executor's wire name.
 */
public final class ExecutorRouting {
    private static final String NO_SPARK =
            "executor.spark_enabled=false: this deployment has no Spark executor";

    private final boolean sparkEnabled;
    private final ExecutorMode defaultMode;
    private final long sparkThresholdBytes;

    private ExecutorRouting(boolean sparkEnabled, ExecutorMode defaultMode, long sparkThresholdBytes) {
        this.sparkEnabled = sparkEnabled;
        this.defaultMode = defaultMode;
        this.sparkThresholdBytes = sparkThresholdBytes;
    }

    /** The routing {@code config}'s {@code executor.*} settings describe. */
    public static ExecutorRouting of(SnowpackConfig config) {
        Objects.requireNonNull(config, "config");
        return new ExecutorRouting(config.executorSparkEnabled(), config.executorDefault(),
                config.executorSparkThresholdBytes());
    }

    /** Whether the deployment has a Spark executor ({@code executor.spark_enabled}): else every route is local. */
    public boolean sparkEnabled() {
        return sparkEnabled;
    }

    /** The executor for the table {@code health} describes, and why; never throws on a property value. */
    public ExecutorRoute route(TableHealth health) {
        Objects.requireNonNull(health, "health");
        String raw = health.properties().get(TableProperties.EXECUTOR);
        Optional<ExecutorMode> asked = ExecutorMode.of(raw);
        ExecutorMode mode = asked.orElse(defaultMode);
        if (!sparkEnabled) {
            return local(NO_SPARK + unhonoured(raw, asked, mode));
        }
        String source = source(raw, asked);
        return switch (mode) {
            case LOCAL -> local(source);
            case SPARK -> spark(source);
            case AUTO -> bySize(health.totalBytes(), source);
        };
    }

    private ExecutorRoute bySize(long totalBytes, String source) {
        boolean large = totalBytes >= sparkThresholdBytes;
        String size = Bytes.human(totalBytes);
        String threshold = Bytes.human(sparkThresholdBytes);
        if (size.equals(threshold) && totalBytes != sparkThresholdBytes) { // "5.0 GiB < 5.0 GiB" reads as a bug
            size = totalBytes + " bytes";
            threshold = sparkThresholdBytes + " bytes";
        }
        String why = "auto: " + size + " of data " + (large ? ">=" : "<") + " executor.spark_threshold_bytes "
                + threshold + "; " + source;
        return large ? spark(why) : local(why);
    }

    /** Where the mode came from: the table's property, or the default (when unset or unusable). */
    private String source(String raw, Optional<ExecutorMode> asked) {
        if (raw == null) {
            return "executor.default=" + defaultMode + ", snowpack.executor not set";
        }
        if (asked.isPresent()) {
            return TableProperties.EXECUTOR + "=" + asked.get();
        }
        return PropertyReader.notAnExecutor(TableProperties.EXECUTOR, raw) + "; using executor.default="
                + defaultMode + " instead";
    }

    /** With Spark disabled: what the table or the default asked for that this deployment cannot do. */
    private static String unhonoured(String raw, Optional<ExecutorMode> asked, ExecutorMode mode) {
        String bad = raw != null && asked.isEmpty()
                ? "; " + PropertyReader.notAnExecutor(TableProperties.EXECUTOR, raw) : "";
        if (mode != ExecutorMode.SPARK) {
            return bad;
        }
        return bad + "; " + (asked.isPresent() ? "the table's " + TableProperties.EXECUTOR : "executor.default")
                + "=spark cannot be honoured here";
    }

    private static ExecutorRoute local(String why) {
        return new ExecutorRoute(ExecutorKind.LOCAL, "executor: local (" + why + ")");
    }

    private static ExecutorRoute spark(String why) {
        return new ExecutorRoute(ExecutorKind.SPARK, "executor: spark (" + why + ")");
    }

    /** The settings it routes by, for logs. */
    @Override
    public String toString() {
        return "ExecutorRouting{executor.spark_enabled=" + sparkEnabled + ", executor.default=" + defaultMode
                + ", executor.spark_threshold_bytes=" + sparkThresholdBytes + "}";
    }
}
