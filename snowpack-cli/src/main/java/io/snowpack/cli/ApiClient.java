package io.snowpack.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Calls the Snowpack REST API at one base URL (which may carry a mount path, e.g. {@code http://host/snowpack}),
 * sending the bearer token when there is one. Every 2xx answer is an {@link ApiReply}; every other answer an
 * {@link ApiErrorException} carrying the API's {@code detail}; a failure to reach the API an
 * {@link ApiUnreachableException}. Thread-safe.
 */
public final class ApiClient {
    /** How long to wait for a connection. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long to wait for an answer. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final Optional<String> token;
    private final HttpClient http;

    /**
     * @param base  the API's base URL, {@code http} or {@code https}, without a query
     * @param token the bearer token, if the API needs one
     */
    public ApiClient(URI base, Optional<String> token) {
        this.base = Objects.requireNonNull(base, "base");
        this.token = Objects.requireNonNull(token, "token").filter(t -> !t.isBlank());
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** {@code GET} of {@code path} (with its query), relative to the base URL. */
    public ApiReply get(String path) {
        return send("GET", resolve(path), null);
    }

    /**
     * {@code GET} of a path the API itself sent ({@code Snowpack-Next}, {@code Link}): already absolute on the
     * server, mount path included, so only the scheme and host of the base URL are kept.
     */
    public ApiReply follow(String serverPath) {
        return send("GET", base.resolve(serverPath), null);
    }

    /** {@code POST} of {@code body} as JSON ({@code null}: no body). */
    public ApiReply post(String path, JsonNode body) {
        return send("POST", resolve(path), body);
    }

    /** {@code PUT} of {@code body} as JSON. */
    public ApiReply put(String path, JsonNode body) {
        return send("PUT", resolve(path), body);
    }

    /** The base URL. */
    public URI base() {
        return base;
    }

    private URI resolve(String path) {
        String root = base.toString();
        return URI.create((root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + path);
    }

    private ApiReply send(String method, URI uri, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new ApiUnreachableException(base, "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (HttpTimeoutException e) {
            throw new ApiUnreachableException(base, "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new ApiUnreachableException(base, "connection refused", e);
        } catch (IOException e) {
            throw new ApiUnreachableException(base, reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNREACHABLE, "Interrupted while waiting for " + uri, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw error(response);
        }
        return new ApiReply(response.statusCode(), uri, response.headers(), response.body());
    }

    private static String reason(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownHostException) {
                return "unknown host " + cause.getMessage();
            }
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The API's own {@code {"error", "detail"}} when it sent one; else the status and the start of the body. */
    private static ApiErrorException error(HttpResponse<String> response) {
        int status = response.statusCode();
        try {
            JsonNode json = ApiReply.JSON.readTree(response.body());
            if (json != null && json.hasNonNull("detail")) {
                return new ApiErrorException(status, json.path("error").asText(null),
                        json.get("detail").asText().replaceAll("\\s+", " "));
            }
        } catch (IOException e) {
            // Not the API's JSON error (a proxy's page): described below.
        }
        String body = response.body() == null || response.body().isBlank() ? "an empty body"
                : ApiReply.abbreviate(response.body());
        return new ApiErrorException(status, null, response.request().method() + " " + response.uri().getPath()
                + " answered " + body);
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return ApiReply.JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a JSON body", e);
        }
    }
}
