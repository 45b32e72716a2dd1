package io.snowpack.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snowpack.core.schedule.Threads;
import io.snowpack.http.HttpMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's own HTTP server (JDK {@code com.sun.net.httpserver}, one thread): {@code GET /metrics} answers the
 * Prometheus text of the process, {@code GET /healthz} {@code {"status":"ok"}}; anything else 404. Its requests are
 * timed in {@code snowpack.http.requests}, like the API's.
 */
final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService thread;
    private final PrometheusMeterRegistry prometheus;
    private final HttpMetrics requests;

    private MetricsServer(HttpServer server, PrometheusMeterRegistry prometheus, MeterRegistry registry) {
        this.server = server;
        this.prometheus = prometheus;
        this.requests = new HttpMetrics(registry);
        thread = Executors.newSingleThreadExecutor(Threads.daemon("snowpack-metrics"));
        server.setExecutor(thread);
        server.createContext("/", this::exchange);
    }

    /**
     * Binds {@code host:port} and serves.
     *
     * @throws UncheckedIOException naming the address when it cannot be bound
     */
    static MetricsServer start(String host, int port, PrometheusMeterRegistry prometheus, MeterRegistry registry) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve metrics on " + host + ":" + port + " ("
                    + AppEnvironment.METRICS_PORT + "): " + e.getMessage(), e);
        }
        MetricsServer metrics = new MetricsServer(server, prometheus, registry);
        server.start();
        LOG.info("Worker metrics on http://{}:{}/metrics (and /healthz)", host, metrics.port());
        return metrics;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        long begin = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        int status;
        try (exchange) {
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                status = send(exchange, 405, "application/json", "{\"error\":\"method_not_allowed\"}");
            } else if ("/metrics".equals(path)) {
                status = send(exchange, 200, PROMETHEUS_TEXT, prometheus.scrape());
            } else if ("/healthz".equals(path)) {
                status = send(exchange, 200, "application/json", "{\"status\":\"ok\"}");
            } else {
                status = send(exchange, 404, "application/json", "{\"error\":\"not_found\"}");
            }
        }
        requests.record(method, status == 404 ? "UNKNOWN" : path, status, System.nanoTime() - begin);
    }

    private static int send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        return status;
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}
