package io.snowpack.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a command's answer goes, in the chosen {@link OutputFormat}. The answer goes to standard output; progress
 * (status changes while waiting) goes to standard output in table mode and to standard error in JSON mode, so that
 * {@code --output json | jq} only ever sees JSON.
 */
final class Printer {
    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;

    Printer(PrintWriter out, PrintWriter err, OutputFormat format) {
        this.out = out;
        this.err = err;
        this.format = format;
    }

    boolean isJson() {
        return format == OutputFormat.json;
    }

    /** Prints {@code node} as pretty JSON. */
    void json(JsonNode node) {
        try {
            out.println(ApiReply.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot print JSON", e);
        }
        out.flush();
    }

    /** Prints one line of the answer. */
    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** Prints one line of progress (see the class comment for where it goes). */
    void progress(String text) {
        PrintWriter target = isJson() ? err : out;
        target.println(text);
        target.flush();
    }

    void table(TextTable table) {
        table.print(out);
        out.flush();
    }

    /** Prints the fields of a JSON object as aligned {@code label: value} lines, leaving out {@code skip}. */
    void fields(JsonNode object, Set<String> skip) {
        List<Map.Entry<String, JsonNode>> shown = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!skip.contains(field.getKey())) {
                shown.add(field);
            }
        }
        int width = shown.stream().mapToInt(f -> f.getKey().length()).max().orElse(0);
        for (Map.Entry<String, JsonNode> field : shown) {
            out.println(field.getKey() + ":" + " ".repeat(width - field.getKey().length() + 1) + text(field.getValue()));
        }
        out.flush();
    }

    /** A JSON value as one line: {@code -} for null, arrays joined with {@code ", "}, objects as {@code k=v}. */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "-";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(text(item)));
            return items.isEmpty() ? "-" : String.join(", ", items);
        }
        if (value.isObject()) {
            List<String> items = new ArrayList<>();
            value.fields().forEachRemaining(f -> items.add(f.getKey() + "=" + text(f.getValue())));
            return items.isEmpty() ? "-" : String.join(", ", items);
        }
        return value.asText();
    }
}
