package io.snowpack.examples;

import io.snowpack.core.InvalidConfigurationException;
import java.util.Locale;
import java.util.Map;

/**
 * How the apps write their log ({@code SNOWPACK_LOG_FORMAT}), on standard error through logback
 * ({@code logback.xml}): {@code text} lines carry the date and time with its offset, the thread, the level, the
 * logger and, on every line of a running job, {@code job_id=… table=…} from the MDC; {@code json} writes one JSON
 * object a line (logback's {@code JsonEncoder}: {@code timestamp}, {@code level}, {@code threadName},
 * {@code loggerName}, {@code mdc} with {@code job_id} and {@code table}, {@code formattedMessage}, {@code throwable})
 * for log shippers.
 */
public enum LogFormat {
    /** Human-readable lines (the default). */
    TEXT,
    /** One JSON object a line. */
    JSON;

    /** The variable that chooses the format. */
    static final String VARIABLE = "SNOWPACK_LOG_FORMAT";
    /** The system property {@code logback.xml} reads the chosen appender from. */
    static final String PROPERTY = "snowpack.log.format";

    /** The name {@code logback.xml} knows this format's appender by: {@code text} or {@code json}. */
    public String appender() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format {@code environment} asks for, {@link #TEXT} when unset.
     *
     * @throws InvalidConfigurationException naming {@code SNOWPACK_LOG_FORMAT} when it is neither text nor json
     */
    static LogFormat fromEnvironment(Map<String, String> environment) {
        String raw = environment.get(VARIABLE);
        if (raw == null || raw.isBlank()) {
            return TEXT;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new InvalidConfigurationException(VARIABLE, "Invalid " + VARIABLE + " '" + raw
                    + "': expected text or json");
        };
    }

    /**
     * Chooses the format for this JVM before anything logs: checks {@code SNOWPACK_LOG_FORMAT} and hands the
     * appender's name to {@code logback.xml} in the {@value #PROPERTY} system property (unless the command line set
     * it). Call it first thing in {@code main}.
     *
     * @throws InvalidConfigurationException naming the variable when its value is neither text nor json
     */
    static void select(Map<String, String> environment) {
        LogFormat format = fromEnvironment(environment);
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, format.appender());
        }
    }
}
