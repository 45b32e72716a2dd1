package io.snowpack.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.snowpack.core.schedule.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link SnowpackApi} over the JDK's built-in HTTP server ({@code com.sun.net.httpserver}), bound to
 * {@link HttpSettings#bindAddress()} ({@code 127.0.0.1} unless told otherwise). Request bodies are read up to one
 * byte past the limit, so an oversized body costs at most that much memory before its 413.
 */
public final class SnowpackHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnowpackHttpServer.class);
    /** Requests handled at once: the server's request threads (what a host counts when it sizes a pool). */
    public static final int THREADS = 8;
    /** How long {@link #close()} waits for requests in progress. */
    static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private final HttpServer server;
    private final ExecutorService threads;
    private final SnowpackApi api;
    private final int maxBodyBytes;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final String bindAddress;
    private final boolean tokenRequired;

    private SnowpackHttpServer(SnowpackApi api, HttpSettings settings) throws IOException {
        this.api = api;
        this.maxBodyBytes = settings.maxBodyBytes();
        this.bindAddress = settings.bindAddress();
        this.tokenRequired = settings.apiToken().isPresent();
        server = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 0);
        threads = Executors.newFixedThreadPool(THREADS, Threads.daemon("snowpack-http"));
        server.setExecutor(threads);
        server.createContext("/", this::exchange);
    }

    /**
     * Binds and starts serving {@code api}.
     *
     * @throws UncheckedIOException when the address cannot be bound (port in use, unknown host)
     */
    public static SnowpackHttpServer start(SnowpackApi api, HttpSettings settings) {
        return bind(api, settings).serve();
    }

    /**
     * Binds the address without answering yet, so a process can fail on a port in use before it starts anything
     * else (takes a lease, claims a job); {@link #serve()} then starts answering. Close it if {@code serve} is never
     * called.
     *
     * @throws UncheckedIOException when the address cannot be bound (port in use, unknown host)
     */
    public static SnowpackHttpServer bind(SnowpackApi api, HttpSettings settings) {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(settings, "settings");
        try {
            return new SnowpackHttpServer(api, settings);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve the API on " + settings.bindAddress() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
    }

    /** Starts answering on the bound address. @return this server */
    public SnowpackHttpServer serve() {
        server.start();
        LOG.info("Snowpack API listening on http://{}:{} ({})", bindAddress, port(),
                tokenRequired ? "bearer token required" : "no token");
        return this;
    }

    /** The port bound (useful when {@link HttpSettings#port()} was 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            ApiRequest request = new ApiRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body(exchange));
            try (ApiResponse response = api.handle(request)) {
                send(exchange, response, "HEAD".equals(request.method()));
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Exchange with {} failed: {}", exchange.getRemoteAddress(), e.toString());
            throw e;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Sends a body in memory with its length, a streamed one chunked (length 0) as it is produced. */
    private static void send(HttpExchange exchange, ApiResponse response, boolean head) throws IOException {
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        if (head || (!response.streamed() && response.body().length == 0)) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), response.streamed() ? 0 : response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            response.writeBody(out);
        }
    }

    private byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            // The rest of an oversized body is left to close(), which drains a little and then drops the connection.
            return in.readNBytes(maxBodyBytes + 1);
        }
    }

    /** Waits briefly for requests in progress, stops serving and frees the threads. Idempotent. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        threads.shutdownNow();
    }
}
