package io.snowpack.http;

import io.snowpack.core.InvalidParameterException;
import io.snowpack.core.model.Text;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Matches a method and a path against routes like {@code /tables/{db}/{table}/maintenance}. An unknown path is a
 * 404, a known path with another method a 405 with {@code Allow}; unknown or repeated query parameters are a 422.
 */
final class Router {
    /** Handles one routed call. */
    @FunctionalInterface
    interface Handler {
        ApiResponse handle(Call call);
    }

    private record Route(String method, List<String> segments, Set<String> queryParams, Handler handler) {
        boolean matches(List<String> path) {
            if (path.size() != segments.size()) {
                return false;
            }
            for (int i = 0; i < path.size(); i++) {
                if (!isParam(segments.get(i)) && !segments.get(i).equals(path.get(i))) {
                    return false;
                }
            }
            return true;
        }

        long literals() {
            return segments.stream().filter(s -> !isParam(s)).count();
        }

        List<String> params(List<String> path) {
            List<String> params = new ArrayList<>();
            for (int i = 0; i < path.size(); i++) {
                if (isParam(segments.get(i))) {
                    params.add(path.get(i));
                }
            }
            return params;
        }

        private static boolean isParam(String segment) {
            return segment.startsWith("{");
        }
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String pattern, Handler handler, String... queryParams) {
        routes.add(new Route(method, segments(pattern), new LinkedHashSet<>(Arrays.asList(queryParams)), handler));
        return this;
    }

    /**
     * Finds the route of {@code request} without running it.
     *
     * @return runs the handler when called
     * @throws HttpError 404 or 405
     */
    Supplier<ApiResponse> resolve(ApiRequest request) {
        List<String> rawSegments = segments(request.rawPath());
        List<Route> candidates = routes.stream().filter(r -> r.matches(rawSegments))
                .sorted(Comparator.comparingLong(Route::literals).reversed()).toList();
        if (candidates.isEmpty()) {
            throw new HttpError(404, "not_found", "No endpoint at " + Text.abbreviate(request.rawPath()));
        }
        Route route = candidates.stream().filter(r -> r.method().equals(request.method())).findFirst()
                .orElseThrow(() -> {
                    Set<String> allowed = new TreeSet<>();
                    candidates.forEach(r -> allowed.add(r.method()));
                    return new HttpError(405, "method_not_allowed", request.method() + " is not allowed on "
                            + Text.abbreviate(request.rawPath()) + "; allowed: " + String.join(", ", allowed),
                            Map.of("Allow", String.join(", ", allowed)));
                });
        return () -> {
            List<String> decoded = route.params(rawSegments).stream().map(s -> PercentDecoding.decode(s, false))
                    .toList();
            return route.handler().handle(new Call(request, decoded, query(request.rawQuery(), route.queryParams())));
        };
    }

    /**
     * The pattern of the route {@code request} goes to ({@code /jobs/{id}}), for metrics: bounded whatever the path;
     * {@code UNKNOWN} when no route of its method matches.
     */
    String template(ApiRequest request) {
        List<String> rawSegments = segments(request.rawPath());
        return routes.stream().filter(r -> r.method().equals(request.method()) && r.matches(rawSegments))
                .max(Comparator.comparingLong(Route::literals))
                .map(r -> "/" + String.join("/", r.segments())).orElse("UNKNOWN");
    }

    private static Map<String, String> query(String rawQuery, Set<String> allowed) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = PercentDecoding.decode(equals < 0 ? pair : pair.substring(0, equals), true);
            String value = equals < 0 ? "" : PercentDecoding.decode(pair.substring(equals + 1), true);
            if (!allowed.contains(name)) {
                throw new InvalidParameterException("Unknown query parameter '" + Text.abbreviate(name)
                        + "'; " + (allowed.isEmpty() ? "this endpoint takes none"
                        : "expected one of: " + String.join(", ", allowed)));
            }
            if (query.putIfAbsent(name, value) != null) {
                throw new InvalidParameterException("Query parameter '" + name + "' is given more than once");
            }
        }
        return query;
    }

    /** The raw segments of a path: {@code /a/b/} and {@code /a/b} both give {@code [a, b]}. */
    private static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
    }
}
