package io.snowpack.core.policy;

import java.time.Duration;

/** Short human forms of durations for plan reasons: {@code 45s}, {@code 2h}, {@code 5h59m}, {@code 4d23h}. */
final class Durations {
    private Durations() {
    }

    /** The two largest non-zero units of {@code duration} (negative counts as zero), truncated. */
    static String human(Duration duration) {
        Duration d = duration.isNegative() ? Duration.ZERO : duration;
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        if (days > 0) {
            return days + "d" + (hours > 0 ? hours + "h" : "");
        }
        if (hours > 0) {
            return hours + "h" + (minutes > 0 ? minutes + "m" : "");
        }
        return minutes > 0 ? minutes + "m" : d.toSecondsPart() + "s";
    }
}
