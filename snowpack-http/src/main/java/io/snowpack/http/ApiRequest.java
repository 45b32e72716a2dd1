package io.snowpack.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request as the API sees it, independent of any server: the method, the raw (still percent-encoded)
 * path and query, the headers and the body bytes. A host adapting its own server should pass at most
 * {@code maxBodyBytes + 1} body bytes: the API answers 413 for anything longer than its limit.
 *
 * @param method   the HTTP method, e.g. {@code GET}
 * @param rawPath  the path as sent, percent-encoded, without the query
 * @param rawQuery the query string as sent, without {@code ?}; {@code null} or empty when there is none
 * @param headers  header values by name; names are matched case-insensitively
 * @param body     the body; empty when there is none
 */
public record ApiRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
        byte[] body) {
    public ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        rawQuery = rawQuery == null ? "" : rawQuery;
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, values) -> {
                if (name != null) {
                    copy.merge(name, List.copyOf(values), (a, b) -> {
                        List<String> both = new ArrayList<>(a);
                        both.addAll(b);
                        return List.copyOf(both);
                    });
                }
            });
        }
        headers = Collections.unmodifiableMap(copy);
        body = body == null ? new byte[0] : body;
        method = method.toUpperCase(Locale.ROOT);
    }

    /** A request without headers or body, for {@code GET}-like calls and tests. */
    public static ApiRequest of(String method, String pathAndQuery) {
        return of(method, pathAndQuery, Map.of(), null);
    }

    /** A request for {@code pathAndQuery} (split at the first {@code ?}). */
    public static ApiRequest of(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body) {
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        String query = question < 0 ? "" : pathAndQuery.substring(question + 1);
        return new ApiRequest(method, path, query, headers, body);
    }

    /** The first value of header {@code name}, if sent. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }
}
