package io.snowpack.http;

import io.snowpack.core.InvalidParameterException;
import io.snowpack.core.model.Text;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A routed request: the request, its decoded path parameters in order, and its decoded query parameters. */
record Call(ApiRequest request, List<String> pathParams, Map<String, String> query) {
    String path(int index) {
        return pathParams.get(index);
    }

    Optional<String> param(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** The whole-number parameter {@code name}, else {@code fallback}. */
    int intParam(String name, int fallback) {
        Optional<String> raw = param(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.get().trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException("Invalid " + name + " '" + Text.abbreviate(raw.get())
                    + "': expected a whole number");
        }
    }

    /** The boolean parameter {@code name} ({@code true} or {@code false}), if given. */
    Optional<Boolean> booleanParam(String name) {
        return param(name).map(raw -> switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new InvalidParameterException("Invalid " + name + " '"
                    + Text.abbreviate(raw) + "': expected true or false");
        });
    }
}
