package io.snowpack.http;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP response: status, headers (including {@code Content-Type}) and body bytes.
 *
 * @param status  the HTTP status
 * @param headers header values by name, in the order they are sent
 * @param body    the body; empty when there is none
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {
    static final String JSON = "application/json";

    public ApiResponse {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
        body = body == null ? new byte[0] : body;
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The value of header {@code name} (case-insensitive), or {@code null}. */
    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
