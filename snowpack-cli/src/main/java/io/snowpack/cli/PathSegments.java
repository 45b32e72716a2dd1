package io.snowpack.cli;

import java.nio.charset.StandardCharsets;

/** Builds API paths from names a user typed: every segment and query value percent-encoded (RFC 3986). */
final class PathSegments {
    private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    private PathSegments() {
    }

    /** {@code value} percent-encoded for use as one path segment or one query value. */
    static String encode(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (UNRESERVED.indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }

    /** {@code /tables/{db}/{table}} followed by {@code suffix}. */
    static String table(TableName table, String suffix) {
        return "/tables/" + encode(table.database()) + "/" + encode(table.table()) + suffix;
    }

    /** {@code /jobs/{id}} followed by {@code suffix}. */
    static String job(String id, String suffix) {
        return "/jobs/" + encode(id) + suffix;
    }
}
