package io.snowpack.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.snowpack.core.InvalidRequestException;
import io.snowpack.core.model.Text;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The body of {@code PUT /admin/drain}: {@code {"enabled": true}}. Parsed strictly, like {@link SubmitBody}: one JSON
 * object whose only field is {@code enabled}, a boolean. Every refusal is an {@link InvalidRequestException} (400)
 * naming what was sent and what was expected.
 *
 * @param enabled whether drain mode should be on in the settings every process shares
 */
record DrainBody(boolean enabled) {
    private static final String EXAMPLE = "{\"enabled\": true}";

    static DrainBody parse(byte[] body) {
        if (body.length == 0) {
            throw new InvalidRequestException("The request body is empty; expected a JSON object like " + EXAMPLE);
        }
        JsonNode root = SubmitBody.readTree(body);
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object like " + EXAMPLE + ", got "
                    + (root == null ? "nothing" : type(root)));
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            String name = fields.next().getKey();
            if (!name.equals("enabled")) {
                throw new InvalidRequestException("Unknown field \"" + Text.abbreviate(name)
                        + "\"; expected only \"enabled\"");
            }
        }
        JsonNode enabled = root.get("enabled");
        if (enabled == null || enabled.isNull()) {
            throw new InvalidRequestException("\"enabled\" is required: true or false");
        }
        if (!enabled.isBoolean()) {
            throw new InvalidRequestException("\"enabled\" must be true or false, got " + type(enabled) + " "
                    + Text.abbreviate(enabled.toString()));
        }
        return new DrainBody(enabled.booleanValue());
    }

    private static String type(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
