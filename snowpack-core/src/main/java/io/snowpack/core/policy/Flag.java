package io.snowpack.core.policy;

import java.util.Locale;

/** A boolean table property as set: true, false (any case, blanks ignored), not set, or something else. */
public enum Flag {
    /** {@code true}, in any case. */
    TRUE,
    /** {@code false}, in any case. */
    FALSE,
    /** The property is not set. */
    UNSET,
    /** Set to something that is neither true nor false. */
    INVALID;

    /** The flag {@code raw} (a property's value, {@code null} when unset) stands for. */
    public static Flag of(String raw) {
        if (raw == null) {
            return UNSET;
        }
        switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true": return TRUE;
            case "false": return FALSE;
            default: return INVALID;
        }
    }
}
