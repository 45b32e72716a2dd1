package io.snowpack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code snowpack runs [--limit n]}: recent orchestrator runs, newest first, with their skip reasons. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List recent orchestrator runs (GET /orchestrator/runs).")
final class RunsCommand extends ApiCommand {
    @Option(names = "--limit", paramLabel = "<n>", description = "At most this many runs (API default 20).")
    Integer limit;

    @Override
    int run(ApiClient api, Printer printer) {
        JsonNode runs = api.get("/orchestrator/runs" + (limit == null ? "" : "?limit=" + limit)).json();
        if (printer.isJson()) {
            printer.json(runs);
            return ExitCodes.OK;
        }
        if (runs.isEmpty()) {
            printer.line("No orchestrator runs yet.");
            return ExitCodes.OK;
        }
        TextTable rows = new TextTable("RUN", "LEADER", "STARTED_AT", "FINISHED_AT", "ASSESSED", "SKIPPED", "HEALTHY",
                "SUBMITTED", "FAILED", "SKIPPED_BY", "ERROR");
        for (JsonNode run : runs) {
            rows.row(run.path("run_id").asText(), Printer.text(run.get("leader")), Printer.text(run.get("started_at")),
                    Printer.text(run.get("finished_at")), run.path("tables_assessed").asText(),
                    run.path("tables_skipped").asText(), run.path("tables_healthy").asText(),
                    run.path("jobs_submitted").asText(), run.path("tables_failed").asText(),
                    Printer.text(run.get("skipped_by_reason")), Printer.text(run.get("error")));
        }
        printer.table(rows);
        return ExitCodes.OK;
    }
}
