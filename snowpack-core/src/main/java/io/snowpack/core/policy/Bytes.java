package io.snowpack.core.policy;

import java.util.Locale;

/** Short human forms of byte counts for reasons: {@code 512 B}, {@code 3.2 GiB}, {@code 1.0 TiB}. */
final class Bytes {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Bytes() {
    }

    /**
     * {@code bytes} in the largest binary unit it fills at least once, with one decimal, truncated (never rounded up,
     * so a size just under a threshold never reads as the threshold's own figure in a larger unit).
     */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = 0;
        long scale = 1024;
        while (unit < UNITS.length - 1 && bytes / scale >= 1024) {
            scale *= 1024;
            unit++;
        }
        long whole = bytes / scale;
        int tenth = (int) Math.min(9, Math.floor((bytes % scale) * 10.0 / scale));
        return String.format(Locale.ROOT, "%d.%d %s", whole, tenth, UNITS[unit]);
    }
}
