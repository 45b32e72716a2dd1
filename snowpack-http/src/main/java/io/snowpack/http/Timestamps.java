package io.snowpack.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Instants as the API writes them: ISO-8601 in UTC with a numeric offset, {@code 2026-04-25T14:30:00+00:00}
 * (as seed 001 shows), with microseconds only when there are any.
 */
final class Timestamps {
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true)
            .appendOffset("+HH:MM", "+00:00")
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }
}
