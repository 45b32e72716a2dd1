package io.snowpack.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.snowpack.core.InvalidRequestException;
import io.snowpack.core.model.Text;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /tables/{db}/{table}/maintenance}: {@code {"actions": [...], "dry_run": false}}. Parsed
 * strictly: one JSON object, no duplicate or unknown fields, {@code actions} an array of strings,
 * {@code dry_run} a boolean when present. Every refusal is an {@link InvalidRequestException} (400) saying what
 * was wrong.
 *
 * @param actions the action names as sent (checked later against the known actions)
 * @param dryRun  whether only a preview is asked for
 */
record SubmitBody(List<String> actions, boolean dryRun) {
    private static final Set<String> FIELDS = Set.of("actions", "dry_run");
    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static SubmitBody parse(byte[] body) {
        if (body.length == 0) {
            throw new InvalidRequestException("The request body is empty; expected a JSON object like "
                    + "{\"actions\": [\"rewrite_data_files\"], \"dry_run\": false}");
        }
        JsonNode root = readTree(body);
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object with an \"actions\" array, got "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            String name = fields.next().getKey();
            if (!FIELDS.contains(name)) {
                throw new InvalidRequestException("Unknown field \"" + Text.abbreviate(name)
                        + "\"; expected \"actions\" and optionally \"dry_run\"");
            }
        }
        return new SubmitBody(actions(root.get("actions")), dryRun(root.get("dry_run")));
    }

    /** The body as one JSON tree, read strictly. */
    static JsonNode readTree(byte[] body) {
        try (JsonParser parser = STRICT.createParser(body)) {
            return STRICT.readTree(parser);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("Malformed JSON body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRequestException("Unreadable JSON body: " + e.getMessage());
        }
    }

    static List<String> actions(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new InvalidRequestException("\"actions\" is required: a non-empty array of action names");
        }
        if (!node.isArray()) {
            throw new InvalidRequestException("\"actions\" must be an array of action names, got "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        List<String> names = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw new InvalidRequestException("\"actions\" must hold only strings, got "
                        + element.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            names.add(element.textValue());
        }
        return names;
    }

    static boolean dryRun(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new InvalidRequestException("\"dry_run\" must be true or false, got "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node.booleanValue();
    }
}
