package io.snowpack.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.JobId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code snowpack.http.requests}: tagged by route pattern, never by raw path (one series per route, whatever the ids
 * and names asked for), with histogram buckets and a {@code # HELP} text.
 */
class HttpMetricsTest {
    @Test
    void requestsAreTimedByRoutePatternAndStatus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (SnowpackApi api = SnowpackApi.builder().store(InMemoryStore.create()).meterRegistry(registry).build()) {
            for (int i = 0; i < 3; i++) {
                api.handle(get("/jobs/" + JobId.random().value())).close();
            }
            api.handle(get("/healthz")).close();
            api.handle(get("/no/such/thing/" + JobId.random().value())).close();

            Timer jobs = registry.get("snowpack.http.requests").tag("uri", "/jobs/{id}").tag("status", "404").timer();
            assertThat(jobs.count()).isEqualTo(3);
            assertThat(registry.get("snowpack.http.requests").tag("uri", "/healthz").tag("outcome", "SUCCESS")
                    .timer().count()).isEqualTo(1);
            assertThat(registry.get("snowpack.http.requests").tag("uri", "UNKNOWN").timer().count()).isEqualTo(1);
            assertThat(registry.find("snowpack.http.requests").timers()).as("one series per route and status")
                    .hasSize(3);
            String scrape = registry.scrape();
            assertThat(scrape).contains("snowpack_http_requests_seconds_bucket{")
                    .containsPattern("# HELP snowpack_http_requests_seconds \\S+");
        }
    }

    private static ApiRequest get(String path) {
        return new ApiRequest("GET", path, null, Map.of(), new byte[0]);
    }
}
