package io.snowpack.core.model;

/**
 * Text helpers shared by Snowpack's modules for building messages. Public so that every module can use it; not
 * meant for embedders.
 */
public final class Text {
    /** How much of a caller's value a message quotes by default. */
    public static final int MAX_QUOTED_LENGTH = 80;

    private Text() {
    }

    /** {@code value} cut to {@link #MAX_QUOTED_LENGTH} characters; see {@link #abbreviate(String, int)}. */
    public static String abbreviate(String value) {
        return abbreviate(value, MAX_QUOTED_LENGTH);
    }

    /**
     * Keeps messages readable when someone sends or pastes a 10 KB value: {@code value} itself when it has at most
     * {@code maxLength} characters, else its first {@code maxLength - 3} characters and {@code "..."};
     * {@code "null"} for {@code null}.
     *
     * @param maxLength at least 4
     */
    public static String abbreviate(String value, int maxLength) {
        if (maxLength < 4) {
            throw new IllegalArgumentException("maxLength must be at least 4, got " + maxLength);
        }
        if (value == null) {
            return "null";
        }
        return value.length() <= maxLength ? value : value.substring(0, maxLength - 3) + "...";
    }
}
