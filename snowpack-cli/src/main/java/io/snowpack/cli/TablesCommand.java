package io.snowpack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code snowpack tables}: every cached table with its health, following the listing's cursor
 * ({@code Snowpack-Next}, else {@code Link: <…>; rel="next"}) page after page until the last one.
 */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = "List cached tables with their health (every page of GET /tables).")
final class TablesCommand extends ApiCommand {
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    @Option(names = "--database", paramLabel = "<db>", description = "Only this database.")
    String database;

    @Option(names = "--maintenance-enabled", paramLabel = "true|false", arity = "1",
            description = "Only tables whose snowpack.maintenance_enabled is (or is not) true.")
    Boolean maintenanceEnabled;

    @Option(names = "--page-size", paramLabel = "<n>", description = "Tables per request (the API's limit).")
    Integer pageSize;

    @Override
    int run(ApiClient api, Printer printer) {
        ArrayNode all = ApiReply.JSON.createArrayNode();
        ApiReply page = api.get("/tables" + query());
        while (true) {
            JsonNode tables = page.json();
            if (!tables.isArray()) {
                throw new CliException(ExitCodes.SERVER_ERROR, "GET /tables did not answer a JSON array");
            }
            all.addAll((ArrayNode) tables);
            Optional<String> next = next(page);
            if (next.isEmpty()) {
                break;
            }
            page = api.follow(next.get());
        }
        if (printer.isJson()) {
            printer.json(all);
            return ExitCodes.OK;
        }
        if (all.isEmpty()) {
            printer.line("No tables in the cache" + (database == null ? "" : " for database " + database) + ".");
            return ExitCodes.OK;
        }
        TextTable table = new TextTable("TABLE", "ENABLED", "NEEDS_MAINTENANCE", "DATA_FILES", "SMALL_FILES",
                "DELETE_FILES", "SNAPSHOTS", "SIZE", "SYNCED_AT");
        for (JsonNode t : all) {
            table.row(JobText.table(t), t.path("maintenance_enabled").asText(), t.path("needs_maintenance").asText(),
                    t.path("data_files").asText(), t.path("small_files").asText(),
                    Long.toString(t.path("position_delete_files").asLong() + t.path("equality_delete_files").asLong()),
                    t.path("snapshots").asText(), Units.bytes(t.path("total_bytes").asLong(-1)),
                    Printer.text(t.get("synced_at")));
        }
        printer.table(table);
        return ExitCodes.OK;
    }

    private String query() {
        List<String> params = new ArrayList<>();
        if (database != null) {
            params.add("database=" + PathSegments.encode(database));
        }
        if (maintenanceEnabled != null) {
            params.add("maintenance_enabled=" + maintenanceEnabled);
        }
        if (pageSize != null) {
            params.add("limit=" + pageSize);
        }
        return params.isEmpty() ? "" : "?" + String.join("&", params);
    }

    /** The next page's path: {@code Snowpack-Next}, else the {@code Link} header's {@code rel="next"}. */
    static Optional<String> next(ApiReply page) {
        Optional<String> next = page.header("Snowpack-Next").filter(v -> !v.isBlank());
        if (next.isPresent()) {
            return next;
        }
        return page.header("Link").map(NEXT_LINK::matcher).filter(Matcher::find).map(m -> m.group(1));
    }
}
