package io.snowpack.http;

import io.snowpack.core.InvalidConfigurationException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how the API listens: bind address, port, optional bearer token, request body limit. Immutable and
 * valid once constructed. {@link #toString()} never shows the token.
 *
 * @param bindAddress  the address to bind; {@value #DEFAULT_BIND_ADDRESS} unless told otherwise
 * @param port         the TCP port, 0 to 65535 (0 picks a free port)
 * @param apiToken     when present, every endpoint but {@code /healthz} and {@code /readyz} needs
 *                     {@code Authorization: Bearer <token>}
 * @param maxBodyBytes the largest request body accepted (413 beyond), at least 1
 */
public record HttpSettings(String bindAddress, int port, Optional<String> apiToken, int maxBodyBytes) {
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    static final String ENV_HOST = "SNOWPACK_HTTP_HOST";
    static final String ENV_PORT = "SNOWPACK_HTTP_PORT";
    static final String ENV_TOKEN = "SNOWPACK_API_TOKEN";
    static final String ENV_MAX_BODY = "SNOWPACK_HTTP_MAX_BODY_BYTES";

    /**
     * @throws InvalidConfigurationException naming the variable that sets the bad value, and the value
     */
    public HttpSettings {
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new InvalidConfigurationException(ENV_HOST, "Invalid " + ENV_HOST + " '" + bindAddress
                    + "': expected a host name or IP address, e.g. 127.0.0.1 or 0.0.0.0");
        }
        if (port < 0 || port > 65_535) {
            throw new InvalidConfigurationException(ENV_PORT,
                    "Invalid " + ENV_PORT + " '" + port + "': expected a whole number from 0 to 65535");
        }
        apiToken = apiToken == null ? Optional.empty() : apiToken.filter(token -> !token.isBlank());
        if (maxBodyBytes < 1) {
            throw new InvalidConfigurationException(ENV_MAX_BODY,
                    "Invalid " + ENV_MAX_BODY + " '" + maxBodyBytes + "': expected a whole number of bytes >= 1");
        }
    }

    /** 127.0.0.1:8080, no token, 64 KiB bodies. */
    public static HttpSettings defaults() {
        return new HttpSettings(DEFAULT_BIND_ADDRESS, DEFAULT_PORT, Optional.empty(), DEFAULT_MAX_BODY_BYTES);
    }

    /** {@link #fromEnvironment(Map)} over this process's environment. */
    public static HttpSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Reads {@code SNOWPACK_HTTP_HOST}, {@code SNOWPACK_HTTP_PORT}, {@code SNOWPACK_API_TOKEN} and
     * {@code SNOWPACK_HTTP_MAX_BODY_BYTES}; unset or blank variables keep their defaults.
     *
     * @throws InvalidConfigurationException naming the variable and its bad value
     */
    public static HttpSettings fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        String host = value(environment, ENV_HOST).orElse(DEFAULT_BIND_ADDRESS);
        int port = value(environment, ENV_PORT).map(v -> integer(ENV_PORT, v)).orElse(DEFAULT_PORT);
        int maxBody = value(environment, ENV_MAX_BODY).map(v -> integer(ENV_MAX_BODY, v))
                .orElse(DEFAULT_MAX_BODY_BYTES);
        return new HttpSettings(host, port, value(environment, ENV_TOKEN), maxBody);
    }

    public HttpSettings withPort(int newPort) {
        return new HttpSettings(bindAddress, newPort, apiToken, maxBodyBytes);
    }

    public HttpSettings withBindAddress(String newAddress) {
        return new HttpSettings(newAddress, port, apiToken, maxBodyBytes);
    }

    public HttpSettings withApiToken(String token) {
        return new HttpSettings(bindAddress, port, Optional.ofNullable(token), maxBodyBytes);
    }

    public HttpSettings withMaxBodyBytes(int bytes) {
        return new HttpSettings(bindAddress, port, apiToken, bytes);
    }

    private static Optional<String> value(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(name, "Invalid " + name + " '" + value
                    + "': expected a whole number");
        }
    }

    @Override
    public String toString() {
        return "HttpSettings{" + bindAddress + ":" + port + ", token=" + (apiToken.isPresent() ? "set" : "none")
                + ", maxBodyBytes=" + maxBodyBytes + "}";
    }
}
