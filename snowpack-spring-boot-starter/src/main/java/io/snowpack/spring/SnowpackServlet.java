package io.snowpack.spring;

import io.snowpack.http.ApiRequest;
import io.snowpack.http.ApiResponse;
import io.snowpack.http.SnowpackApi;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Serves a {@link SnowpackApi} from a servlet mapped at {@code <path>/*} on the host's servlet container, the way
 * {@code SnowpackHttpServer} serves it over the JDK server: every method goes to the API with the path below the
 * mount point still percent-encoded, the raw query and the headers; the body is read up to one byte past
 * {@code maxBodyBytes}, so an oversized body costs at most that much memory before its 413; a {@code HEAD} answer
 * carries the headers without the body; a streamed body (a table listing) is written as it is produced, without a
 * length; {@code Location}, {@code Link} and {@code Snowpack-Next} paths are prefixed with the mount point; every
 * answer is closed once sent (it frees the listing slot a streamed listing holds). Statuses are set,
 * never sent as container errors, so the host's error pages do not replace the API's JSON errors.
 */
public final class SnowpackServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient SnowpackApi api;
    private final int maxBodyBytes;

    /** Serves {@code api}, reading at most {@code maxBodyBytes + 1} bytes of a request body. */
    public SnowpackServlet(SnowpackApi api, int maxBodyBytes) {
        this.api = Objects.requireNonNull(api, "api");
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1, got " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try (ApiResponse answer = api.handle(new ApiRequest(request.getMethod(), rawPath(request),
                request.getQueryString(), headers(request), body(request)))) {
            response.setStatus(answer.status());
            String mount = request.getContextPath() + request.getServletPath();
            answer.headers().forEach((name, value) -> response.setHeader(name, mounted(name, value, mount)));
            boolean head = "HEAD".equalsIgnoreCase(request.getMethod());
            if (head || (!answer.streamed() && answer.body().length == 0)) {
                return;
            }
            if (!answer.streamed()) {
                response.setContentLength(answer.body().length);
            }
            try (OutputStream out = response.getOutputStream()) {
                answer.writeBody(out);
            }
        }
    }

    /**
     * The API's paths are relative to its root; on the host they are below the mount point: {@code Location} and
     * {@code Snowpack-Next} paths, and the URL of a {@code Link} header, get the mount point in front.
     */
    static String mounted(String name, String value, String mount) {
        if ((name.equalsIgnoreCase("Location") || name.equalsIgnoreCase("Snowpack-Next")) && value.startsWith("/")) {
            return mount + value;
        }
        if (name.equalsIgnoreCase("Link") && value.startsWith("</")) {
            return "<" + mount + value.substring(1);
        }
        return value;
    }

    /**
     * The path below the mount point as sent (percent-encoded): the request URI without the context path and the
     * servlet path. A client that percent-encoded the mount point itself gets the container's decoded path info.
     */
    static String rawPath(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String mount = request.getContextPath() + request.getServletPath();
        String path;
        if (uri.startsWith(mount)) {
            path = uri.substring(mount.length());
        } else {
            path = request.getPathInfo() == null ? "" : request.getPathInfo();
        }
        return path.isEmpty() ? "/" : path;
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
        }
        return headers;
    }

    private byte[] body(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            // The rest of an oversized body is left to the container, which swallows or drops it.
            return in.readNBytes(maxBodyBytes + 1);
        }
    }
}
