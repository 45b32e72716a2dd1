package io.snowpack.http;

import java.util.Map;

/**
 * A request refused at the HTTP level (unknown route, wrong method, missing token, body too large, wrong content
 * type), before any domain rule applies.
 */
final class HttpError extends RuntimeException {
    private final int status;
    private final String error;
    private final Map<String, String> headers;

    HttpError(int status, String error, String detail, Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.error = error;
        this.headers = headers;
    }

    HttpError(int status, String error, String detail) {
        this(status, error, detail, Map.of());
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }

    Map<String, String> headers() {
        return headers;
    }
}
