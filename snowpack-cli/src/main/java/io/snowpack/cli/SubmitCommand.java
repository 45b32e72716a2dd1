package io.snowpack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code snowpack submit <db.table> --actions a,b [--dry-run] [--wait]}: {@code POST …/maintenance}. Prints the
 * accepted job; a dry run prints its preview per action. With {@code --wait}, follows the job to its end and exits
 * 1 when it failed or was cancelled.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submit maintenance for a table (POST /tables/{db}/{table}/maintenance).")
final class SubmitCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<db.table>", converter = TableName.Converter.class,
            description = "The table, e.g. offer_service.offers.")
    TableName table;

    @Option(names = "--actions", required = true, split = ",", paramLabel = "<action>",
            description = "Actions, comma-separated: rewrite_data_files, rewrite_position_delete_files, "
                    + "expire_snapshots, rewrite_manifests, remove_orphan_files (they run in that order).")
    List<String> actions;

    @Option(names = "--dry-run", description = "Preview what each action would do; changes nothing.")
    boolean dryRun;

    @Option(names = "--wait", description = "Wait for the job to end, showing its progress; exit 1 if it fails.")
    boolean await;

    @Mixin
    PollingOptions polling;

    @Override
    int run(ApiClient api, Printer printer) {
        ObjectNode body = ApiReply.JSON.createObjectNode();
        ArrayNode names = body.putArray("actions");
        actions.forEach(action -> names.add(action.strip()));
        body.put("dry_run", dryRun);
        JsonNode job = api.post(PathSegments.table(table, "/maintenance"), body).json();
        if (await) {
            return new JobWatcher(api, printer, polling.interval).watch(job);
        }
        if (printer.isJson()) {
            printer.json(job);
            return ExitCodes.OK;
        }
        printer.line(JobText.summary(job));
        job.path("results").forEach(result -> printer.line(JobText.result(result)));
        if (!JobText.isTerminal(job)) {
            printer.line("Follow it with: snowpack job " + job.path("job_id").asText() + " --watch");
        }
        return ExitCodes.OK;
    }
}
