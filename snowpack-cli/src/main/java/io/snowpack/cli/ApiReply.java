package io.snowpack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * A successful (2xx) answer of the API: its status, headers and JSON body.
 *
 * @param status  the HTTP status
 * @param uri     the URL that answered
 * @param headers header lookup by name (case-insensitive)
 * @param body    the body as text
 */
public record ApiReply(int status, URI uri, HttpHeaders headers, String body) {
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The body as JSON.
     *
     * @throws CliException (exit 5) when the body is not JSON: the URL points at something that is not the API
     */
    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new CliException(ExitCodes.SERVER_ERROR, "The answer of " + uri + " is not JSON; is --url the "
                    + "Snowpack API? It began with: " + abbreviate(body), e);
        }
    }

    /** The first value of header {@code name}. */
    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    static String abbreviate(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 80 ? "'" + line + "'" : "'" + line.substring(0, 77) + "...'";
    }
}
