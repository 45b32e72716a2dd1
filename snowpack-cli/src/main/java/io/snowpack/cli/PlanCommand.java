package io.snowpack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code snowpack plan <db.table>}: what the orchestrator would do for the table now, and why. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Show what the orchestrator would do for a table now, and why (GET …/maintenance-plan).")
final class PlanCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<db.table>", converter = TableName.Converter.class,
            description = "The table, e.g. offer_service.offers.")
    TableName table;

    @Override
    int run(ApiClient api, Printer printer) {
        JsonNode plan = api.get(PathSegments.table(table, "/maintenance-plan")).json();
        if (printer.isJson()) {
            printer.json(plan);
            return ExitCodes.OK;
        }
        printer.fields(plan, Set.of("reasons"));
        printer.line("reasons:");
        plan.path("reasons").forEach(reason -> printer.line("  - " + reason.asText()));
        return ExitCodes.OK;
    }
}
