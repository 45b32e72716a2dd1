package io.snowpack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code snowpack jobs [--table db.table] [--status s] [--limit n]}: jobs, newest first ({@code GET /jobs}). */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List jobs, newest first (GET /jobs).")
final class JobsCommand extends ApiCommand {
    @Option(names = "--table", paramLabel = "<db.table>", converter = TableName.Converter.class,
            description = "Only jobs of this table.")
    TableName table;

    @Option(names = "--status", paramLabel = "<status>",
            description = "Only jobs in this status: pending, running, completed, failed, cancelled.")
    String status;

    @Option(names = "--limit", paramLabel = "<n>", description = "At most this many jobs (API default 100, max 500).")
    Integer limit;

    @Override
    int run(ApiClient api, Printer printer) {
        JsonNode jobs = api.get("/jobs" + query()).json();
        if (printer.isJson()) {
            printer.json(jobs);
            return ExitCodes.OK;
        }
        if (jobs.isEmpty()) {
            printer.line("No jobs.");
            return ExitCodes.OK;
        }
        TextTable rows = new TextTable("JOB_ID", "TABLE", "STATUS", "ACTIONS", "DRY_RUN", "TRIGGER", "SUBMITTED_AT",
                "COMPLETED_AT");
        for (JsonNode job : jobs) {
            rows.row(job.path("job_id").asText(), JobText.table(job), job.path("status").asText(),
                    Printer.text(job.get("actions")), job.path("dry_run").asText(), Printer.text(job.get("triggered_by")),
                    Printer.text(job.get("submitted_at")), Printer.text(job.get("completed_at")));
        }
        printer.table(rows);
        return ExitCodes.OK;
    }

    private String query() {
        List<String> params = new ArrayList<>();
        if (status != null) {
            params.add("status=" + PathSegments.encode(status));
        }
        if (table != null) {
            params.add("table=" + PathSegments.encode(table.key()));
        }
        if (limit != null) {
            params.add("limit=" + limit);
        }
        return params.isEmpty() ? "" : "?" + String.join("&", params);
    }
}
