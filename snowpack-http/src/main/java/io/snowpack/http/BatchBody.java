package io.snowpack.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.snowpack.core.InvalidRequestException;
import io.snowpack.core.SnowpackException;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.model.Text;
import io.snowpack.core.service.MaintenanceRequest;
import io.snowpack.core.service.MaintenanceService;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /maintenance/batch}: {@code {"requests": [{"database": "db", "table": "t", "actions":
 * [...], "dry_run": false}, ...]}}. The envelope is parsed strictly and refused whole (400) when it is wrong; each
 * request is checked on its own, and one that is wrong (bad name 422, unknown action 400) becomes a refused item,
 * so one typo does not sink a fleet-wide batch.
 *
 * @param items one per request, in order
 */
record BatchBody(List<Item> items) {
    private static final Set<String> ITEM_FIELDS = Set.of("database", "table", "actions", "dry_run");

    /**
     * One request of the batch: the valid request, or why it is not one.
     *
     * @param database the database as sent (for the answer), or {@code null}
     * @param table    the table as sent, or {@code null}
     * @param request  the request when valid
     * @param invalid  why it is not, when it is not
     */
    record Item(String database, String table, MaintenanceRequest request, SnowpackException invalid) {
    }

    static BatchBody parse(byte[] body) {
        if (body.length == 0) {
            throw new InvalidRequestException("The request body is empty; expected a JSON object like {\"requests\": "
                    + "[{\"database\": \"db\", \"table\": \"t\", \"actions\": [\"rewrite_data_files\"]}]}");
        }
        JsonNode root = SubmitBody.readTree(body);
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object with a \"requests\" array, got "
                    + (root == null ? "nothing" : kind(root)));
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("requests")) {
                throw new InvalidRequestException("Unknown field \"" + Text.abbreviate(name)
                        + "\"; expected only \"requests\"");
            }
        }
        JsonNode requests = root.get("requests");
        if (requests == null || !requests.isArray()) {
            throw new InvalidRequestException("\"requests\" must be an array of requests, got "
                    + (requests == null ? "nothing" : kind(requests)));
        }
        if (requests.size() > MaintenanceService.MAX_BATCH) {
            throw new InvalidRequestException("A batch holds at most " + MaintenanceService.MAX_BATCH
                    + " requests, got " + requests.size());
        }
        List<Item> items = new ArrayList<>(requests.size());
        for (JsonNode node : requests) {
            items.add(item(node));
        }
        return new BatchBody(items);
    }

    private static Item item(JsonNode node) {
        String database = node.isObject() && node.path("database").isTextual() ? node.get("database").textValue() : null;
        String table = node.isObject() && node.path("table").isTextual() ? node.get("table").textValue() : null;
        try {
            if (!node.isObject()) {
                throw new InvalidRequestException("A request must be a JSON object, got " + kind(node));
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                String name = fields.next().getKey();
                if (!ITEM_FIELDS.contains(name)) {
                    throw new InvalidRequestException("Unknown field \"" + Text.abbreviate(name)
                            + "\"; expected \"database\", \"table\", \"actions\" and optionally \"dry_run\"");
                }
            }
            if (database == null || table == null) {
                throw new InvalidRequestException("\"database\" and \"table\" are required strings");
            }
            TableId id = new TableId(database, table);
            return new Item(database, table, new MaintenanceRequest(id,
                    MaintenanceAction.parseAll(SubmitBody.actions(node.get("actions"))),
                    SubmitBody.dryRun(node.get("dry_run")), JobTrigger.MANUAL), null);
        } catch (SnowpackException invalid) {
            return new Item(database, table, null, invalid);
        }
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
