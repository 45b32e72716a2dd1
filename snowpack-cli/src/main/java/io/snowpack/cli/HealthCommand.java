package io.snowpack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code snowpack health <db.table>}: the table's cached health, why it needs maintenance and its last jobs
 * ({@code GET /tables/{db}/{table}}); with {@code --live}, health computed from the catalog now
 * ({@code GET /tables/{db}/{table}/health}).
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Show a table's health, the reasons it needs maintenance, and its last jobs.")
final class HealthCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<db.table>", converter = TableName.Converter.class,
            description = "The table, e.g. offer_service.offers.")
    TableName table;

    @Option(names = "--live", description = "Compute health from the catalog now (and store it) instead of "
            + "reading the cache.")
    boolean live;

    @Override
    int run(ApiClient api, Printer printer) {
        JsonNode health = api.get(PathSegments.table(table, live ? "/health" : "")).json();
        if (printer.isJson()) {
            printer.json(health);
            return ExitCodes.OK;
        }
        printer.fields(health, Set.of("last_jobs"));
        JsonNode jobs = health.path("last_jobs");
        if (jobs.isArray() && !jobs.isEmpty()) {
            printer.line("last_jobs:");
            jobs.forEach(job -> printer.line("  " + job.path("job_id").asText() + "  " + job.path("status").asText()
                    + "  " + Printer.text(job.get("submitted_at")) + "  " + Printer.text(job.get("actions"))));
        }
        return ExitCodes.OK;
    }
}
