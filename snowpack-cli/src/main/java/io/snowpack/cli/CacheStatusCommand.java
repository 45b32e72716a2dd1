package io.snowpack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code snowpack cache-status}: when health sync last filled the table cache, how many tables, who syncs now. */
@Command(name = "cache-status", mixinStandardHelpOptions = true,
        description = "Show the table cache's freshness and who runs health sync (GET /tables/cache-status).")
final class CacheStatusCommand extends ApiCommand {
    @Override
    int run(ApiClient api, Printer printer) {
        JsonNode status = api.get("/tables/cache-status").json();
        if (printer.isJson()) {
            printer.json(status);
        } else {
            printer.fields(status, Set.of());
        }
        return ExitCodes.OK;
    }
}
