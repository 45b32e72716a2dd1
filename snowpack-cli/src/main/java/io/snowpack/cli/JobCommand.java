package io.snowpack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code snowpack job <id> [--watch]}: one job with its per-action results. With {@code --watch}, follows it to its
 * end and exits 1 when it failed or was cancelled.
 */
@Command(name = "job", mixinStandardHelpOptions = true, description = "Show one job and its results (GET /jobs/{id}).")
final class JobCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<job-id>", description = "The job id (32 hex characters).")
    String id;

    @Option(names = "--watch", description = "Follow the job until it ends, showing status changes and results; "
            + "exit 1 if it fails.")
    boolean watch;

    @Mixin
    PollingOptions polling;

    @Override
    int run(ApiClient api, Printer printer) {
        JsonNode job = api.get(PathSegments.job(id, "")).json();
        if (watch) {
            return new JobWatcher(api, printer, polling.interval).watch(job);
        }
        if (printer.isJson()) {
            printer.json(job);
        } else {
            JobText.print(printer, job);
        }
        return ExitCodes.OK;
    }
}
