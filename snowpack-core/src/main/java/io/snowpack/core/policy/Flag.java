package io.snowpack.core.policy;

import java.util.Locale;

/** A boolean table property as set: true, false (any case, blanks ignored), not set, or something else. */
enum Flag {
    TRUE, FALSE, UNSET, INVALID;

    static Flag of(String raw) {
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
