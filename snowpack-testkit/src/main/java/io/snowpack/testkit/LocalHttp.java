package io.snowpack.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Requests to a local HTTP server with {@link HttpClient}, for the API tests. */
public final class LocalHttp {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** Requests to {@code http://127.0.0.1:port}. */
    public LocalHttp(int port) {
        this(URI.create("http://127.0.0.1:" + port));
    }

    /** Requests to paths under {@code base} (a trailing slash is ignored). */
    public LocalHttp(URI base) {
        String text = base.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * Sends one request; {@code headers} are name, value, name, value…
     *
     * @param contentType sent as {@code Content-Type} unless {@code null}
     * @param body        the body, or {@code null} for none
     */
    public HttpResponse<String> send(String method, String path, String contentType, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
