package io.snowpack.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests to an API app started by a test, with its bearer token; JSON bodies. */
public final class AppApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;
    private final String token;

    public AppApiClient(int port, String token) {
        this.port = port;
        this.token = token;
    }

    /** Sends {@code body} (JSON, or {@code null} for none) to {@code path}. */
    public HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON answer of {@code GET path}. */
    public JsonNode json(String path) throws Exception {
        return JSON.readTree(send("GET", path, null).body());
    }

    /** Waits up to a minute for health sync to have cached at least {@code count} tables. */
    public void awaitTables(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (json("/tables/cache-status").get("table_count").asInt() >= count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("health sync did not cache " + count + " tables");
    }
}
