package io.snowpack.cli;

import java.util.Locale;

/** Human-readable figures for table output. */
final class Units {
    private static final String[] BYTES = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {
    }

    /** {@code 2576980378} → {@code 2.4 GiB}; negative or unknown sizes print as {@code -}. */
    static String bytes(long bytes) {
        if (bytes < 0) {
            return "-";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < BYTES.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, BYTES[unit]);
    }
}
