package io.snowpack.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --interval}: how often {@code --wait} and {@code --watch} poll the job (default 2 s). */
final class PollingOptions {
    @Option(names = "--interval", paramLabel = "<duration>", defaultValue = "2s", converter = IntervalConverter.class,
            description = "How often to poll while waiting, e.g. 2s, 500ms, 1m (default: ${DEFAULT-VALUE}).")
    Duration interval;

    /** {@code 500ms}, {@code 2s}, {@code 1m}: a positive whole number and a unit. */
    static final class IntervalConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m)");

        @Override
        public Duration convert(String value) {
            Matcher m = FORMAT.matcher(value.trim());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not an interval: expected a positive number with ms, s or m, e.g. 2s");
            }
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
        }
    }
}
