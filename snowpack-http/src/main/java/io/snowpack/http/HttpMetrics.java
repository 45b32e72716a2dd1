package io.snowpack.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code snowpack.http.requests}: HTTP requests served by a Snowpack process (the API, a worker's metrics port) by
 * method, route pattern ({@code uri}, bounded: never a raw path), status and outcome, timed until the response is
 * ready (a streamed listing's body is written after), with a histogram. Not {@code http.server.requests}: a Spring
 * Boot host records that one itself, with other tags.
 */
public final class HttpMetrics {
    private final MeterRegistry registry;

    public HttpMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Records one request that took {@code nanos}; {@code uri} is its route pattern, or {@code UNKNOWN}. */
    public void record(String method, String uri, int status, long nanos) {
        Timer.builder("snowpack.http.requests")
                .description("REST API requests, by method, route pattern (uri), status and outcome, timed until the "
                        + "response is ready")
                .tag("method", method).tag("uri", uri).tag("status", Integer.toString(status))
                .tag("outcome", outcome(status))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "UNKNOWN";
        };
    }
}
