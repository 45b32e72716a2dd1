package io.snowpack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code snowpack cancel <id>}: cancels a pending or running job; 4 (conflict) when it already ended. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a pending or running job (POST /jobs/{id}/cancel).")
final class CancelCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<job-id>", description = "The job id.")
    String id;

    @Override
    int run(ApiClient api, Printer printer) {
        JsonNode job = api.post(PathSegments.job(id, "/cancel"), null).json();
        if (printer.isJson()) {
            printer.json(job);
        } else {
            printer.line(JobText.summary(job));
        }
        return ExitCodes.OK;
    }
}
