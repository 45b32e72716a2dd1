package io.snowpack.iceberg.servers;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A reverse proxy in front of a REST catalog that lets a request through only when it is authenticated, the way a
 * catalog behind an identity provider or API Gateway does (Iceberg's REST fixture checks nothing itself):
 * <ul>
 *   <li>{@link #oauth2}: serves an OAuth2 token endpoint ({@code POST /v1/oauth/tokens}, client-credentials grant)
 *       that issues a fresh token only for the right client id and secret, and forwards a catalog request only
 *       with {@code Authorization: Bearer} and a token it issued;</li>
 *   <li>{@link #sigV4}: forwards a request only when its AWS Signature Version 4 is the one computed here from the
 *       request and the expected secret key, region and service.</li>
 * </ul>
 * Anything else gets 401 with an Iceberg error body. What was refused, and why, is kept for the test to read.
 */
public final class AuthGate implements AutoCloseable {
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "authorization", "transfer-encoding");
    private static final Pattern SIGV4 = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?"
                    + "Signature=([0-9a-f]{64})");

    private final HttpServer server;
    private final URI upstream;
    private final Check check;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    private interface Check {
        /** {@code null} when the request may pass, else why not. */
        String refusal(HttpExchange exchange, byte[] body);
    }

    private AuthGate(URI upstream, Check check, boolean tokenEndpoint, String clientId, String secret)
            throws IOException {
        this.upstream = upstream;
        this.check = check;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "auth-gate");
            thread.setDaemon(true);
            return thread;
        }));
        if (tokenEndpoint) {
            server.createContext("/v1/oauth/tokens", exchange -> token(exchange, clientId, secret));
        }
        server.createContext("/", this::forward);
        server.start();
    }

    /** A gate that issues bearer tokens to {@code clientId}:{@code secret} and requires one on every request. */
    public static AuthGate oauth2(URI upstream, String clientId, String secret) {
        try {
            AuthGate[] gate = new AuthGate[1];
            gate[0] = new AuthGate(upstream, (exchange, body) -> gate[0].bearerRefusal(exchange), true, clientId,
                    secret);
            return gate[0];
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the OAuth2 gate", e);
        }
    }

    /** A gate that requires a valid SigV4 signature by {@code accessKey} for {@code region} and {@code service}. */
    public static AuthGate sigV4(URI upstream, String accessKey, String secretKey, String region, String service) {
        try {
            return new AuthGate(upstream, (exchange, body) -> sigV4Refusal(exchange, body, accessKey, secretKey,
                    region, service), false, null, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the SigV4 gate", e);
        }
    }

    /** {@code http://127.0.0.1:port/}: a REST client's {@code uri}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** The token endpoint, a REST client's {@code oauth2-server-uri}. */
    public URI tokenEndpoint() {
        return uri().resolve("v1/oauth/tokens");
    }

    public int tokensIssued() {
        return issued.size();
    }

    public int forwarded() {
        return forwarded.get();
    }

    /** Each refused request: method, path and the reason. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    private void token(HttpExchange exchange, String clientId, String secret) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!"client_credentials".equals(form.get("grant_type")) || !clientId.equals(form.get("client_id"))
                || !secret.equals(form.get("client_secret"))) {
            refused.add("POST /v1/oauth/tokens: bad client credentials " + form.keySet());
            send(exchange, 401, "{\"error\":\"invalid_client\",\"error_description\":\"bad client credentials\"}");
            return;
        }
        String token = "token-" + UUID.randomUUID();
        issued.add(token);
        send(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\",\"expires_in\":3600,"
                + "\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\"}");
    }

    private String bearerRefusal(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return "no bearer token";
        }
        return issued.contains(authorization.substring("Bearer ".length())) ? null : "a token this gate never issued";
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String refusal = check.refusal(exchange, body);
            if (refusal != null) {
                refused.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": " + refusal);
                send(exchange, 401, "{\"error\":{\"message\":\"Not authorized: " + refusal
                        + "\",\"type\":\"NotAuthorizedException\",\"code\":401}}");
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI()
                    .getRawPath().substring(1) + query(exchange)));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            request.method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                send(exchange, 503, "{\"error\":{\"message\":\"upstream unreachable: " + e
                        + "\",\"type\":\"ServiceUnavailableException\",\"code\":503}}");
                return;
            }
            forwarded.incrementAndGet();
            response.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.equals("content-length") && !lower.equals("transfer-encoding")
                        && !lower.equals("connection") && !lower.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] out = response.body();
            exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream stream = exchange.getResponseBody()) {
                    stream.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String query(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        return query == null ? "" : "?" + query;
    }

    /**
     * Recomputes the request's SigV4 signature (AWS's "Create a signed AWS API request": canonical request, string
     * to sign, key derived from the secret, date, region and service) and compares it with the one sent.
     */
    private static String sigV4Refusal(HttpExchange exchange, byte[] body, String accessKey, String secretKey,
            String region, String service) {
        Headers headers = exchange.getRequestHeaders();
        String authorization = headers.getFirst("Authorization");
        Matcher m = authorization == null ? null : SIGV4.matcher(authorization);
        if (m == null || !m.matches()) {
            return "no SigV4 Authorization header: " + authorization;
        }
        if (!m.group(1).equals(accessKey) || !m.group(3).equals(region) || !m.group(4).equals(service)) {
            return "signed for " + m.group(1) + "/" + m.group(3) + "/" + m.group(4) + ", expected " + accessKey + "/"
                    + region + "/" + service;
        }
        String amzDate = headers.getFirst("X-Amz-Date");
        if (amzDate == null || !amzDate.startsWith(m.group(2))) {
            return "X-Amz-Date " + amzDate + " does not match the credential date " + m.group(2);
        }
        List<String> signed = List.of(m.group(5).split(";"));
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signed) {
            List<String> values = headers.get(name);
            if (values == null) {
                return "signed header " + name + " is missing";
            }
            canonicalHeaders.append(name).append(':').append(values.stream()
                    .map(v -> v.trim().replaceAll(" +", " ")).collect(Collectors.joining(","))).append('\n');
        }
        byte[] digest = sha256(body);
        String payloadHash = hex(digest);
        String claimedHash = headers.getFirst("X-Amz-Content-Sha256");
        // Iceberg's REST signer sends the body's hash base64-encoded in this header (and signs the hex form).
        if (claimedHash != null && !claimedHash.equals(payloadHash)
                && !claimedHash.equals(Base64.getEncoder().encodeToString(digest))) {
            return "x-amz-content-sha256 " + claimedHash + " is not the body's " + payloadHash;
        }
        String canonicalRequest = String.join("\n", exchange.getRequestMethod(),
                encode(exchange.getRequestURI().getRawPath(), false), canonicalQuery(exchange.getRequestURI()),
                canonicalHeaders.toString(), m.group(5), payloadHash);
        String scope = m.group(2) + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", amzDate, scope,
                hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), m.group(2));
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String expected = hex(hmac(key, stringToSign));
        return expected.equals(m.group(6)) ? null : "signature " + m.group(6) + " is not " + expected;
    }

    private static String canonicalQuery(URI uri) {
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            sorted.computeIfAbsent(encode(name, true), k -> new ArrayList<>()).add(encode(value, true));
        }
        return sorted.entrySet().stream().flatMap(e -> e.getValue().stream().sorted().map(v -> e.getKey() + "=" + v))
                .collect(Collectors.joining("&"));
    }

    /** RFC 3986 percent-encoding of everything but unreserved characters (and {@code /} in a path). */
    private static String encode(String text, boolean slash) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (c == '/' && !slash)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new TreeMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return form;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
