package io.snowpack.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP response: status, headers (including {@code Content-Type}) and a body that is either bytes in memory or
 * streamed. A streamed body (a table listing) is produced while it is written, so a large answer never sits in the
 * heap whole; its length is unknown up front (send it chunked). A server adapter sends the headers, then calls
 * {@link #writeBody(OutputStream)} once, and always {@link #close()}s the response, written or not (a {@code HEAD}
 * request, a failed exchange): a streamed response holds resources (a listing slot) until then. An adapter that
 * cannot stream may call {@link #body()}, which produces a streamed body in memory once.
 */
public final class ApiResponse implements AutoCloseable {
    static final String JSON = "application/json";

    /** Writes a streamed body. */
    @FunctionalInterface
    public interface BodyWriter {
        /** Writes the whole body to {@code out}; does not close it. */
        void writeTo(OutputStream out) throws IOException;
    }

    private final int status;
    private final Map<String, String> headers;
    private final BodyWriter writer;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean written = new AtomicBoolean();
    private byte[] body;

    /**
     * A response with its body in memory.
     *
     * @param status  the HTTP status
     * @param headers header values by name, in the order they are sent
     * @param body    the body; {@code null} or empty when there is none
     */
    public ApiResponse(int status, Map<String, String> headers, byte[] body) {
        this(status, headers, body == null ? new byte[0] : body, null, () -> { });
    }

    private ApiResponse(int status, Map<String, String> headers, byte[] body, BodyWriter writer, Runnable onClose) {
        this.status = status;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
        this.body = body;
        this.writer = writer;
        this.onClose = onClose;
    }

    /**
     * A response whose body {@code writer} produces while it is sent; {@code onClose} runs exactly once, when the
     * response is closed, whether or not the body was written.
     */
    public static ApiResponse streamed(int status, Map<String, String> headers, BodyWriter writer, Runnable onClose) {
        return new ApiResponse(status, headers, null, Objects.requireNonNull(writer, "writer"),
                Objects.requireNonNull(onClose, "onClose"));
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** Header values by name, in the order they are sent. */
    public Map<String, String> headers() {
        return headers;
    }

    /** Whether the body is streamed: its length is unknown until it has been written. */
    public boolean streamed() {
        return writer != null && body == null;
    }

    /**
     * The body bytes; empty when there is none. A streamed body is produced in memory on the first call (for
     * adapters that cannot stream, and tests), which costs the whole body in heap, and the response is closed.
     */
    public synchronized byte[] body() {
        if (body == null) {
            claimWriter();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                writer.writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot produce the response body: " + e.getMessage(), e);
            } finally {
                close();
            }
            body = out.toByteArray();
        }
        return body;
    }

    /**
     * Writes the body to {@code out} (streamed bodies as they are produced) without closing {@code out}; a
     * streamed response is closed once written.
     *
     * @throws IllegalStateException when this streamed body was already written
     */
    public void writeBody(OutputStream out) throws IOException {
        if (!streamed()) {
            out.write(body());
            return;
        }
        claimWriter();
        try {
            writer.writeTo(out);
        } finally {
            close();
        }
    }

    /** A streamed body is produced once: a second attempt would run the listing again. */
    private void claimWriter() {
        if (!written.compareAndSet(false, true)) {
            throw new IllegalStateException("This streamed response body was already written");
        }
    }

    /** The body as UTF-8 text (a streamed body is produced in memory first). */
    public String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** The value of header {@code name} (case-insensitive), or {@code null}. */
    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** Frees what a streamed body holds (idempotent); nothing for a body in memory. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "ApiResponse{" + status + ", " + headers + (streamed() ? ", streamed" : ", " + body.length + " bytes")
                + "}";
    }
}
