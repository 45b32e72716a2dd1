package io.snowpack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code snowpack drain on|off|status}: reads or sets drain mode through {@code /admin/drain}. The switch is shared
 * by every API replica and worker; a process whose configuration forces drain mode stays drained whatever it says.
 */
@Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Turn drain mode on or off for every process, or show it (GET/PUT /admin/drain).")
final class DrainCommand extends ApiCommand {
    /** What to do with drain mode. */
    enum Switch { on, off, status }

    @Parameters(index = "0", paramLabel = "on|off|status", description = "Valid values: ${COMPLETION-CANDIDATES}.")
    Switch action;

    @Override
    int run(ApiClient api, Printer printer) {
        JsonNode drain;
        if (action == Switch.status) {
            drain = api.get("/admin/drain").json();
        } else {
            ObjectNode body = ApiReply.JSON.createObjectNode().put("enabled", action == Switch.on);
            drain = api.put("/admin/drain", body).json();
        }
        if (printer.isJson()) {
            printer.json(drain);
            return ExitCodes.OK;
        }
        boolean enabled = drain.path("enabled").asBoolean();
        printer.line("Drain mode is " + (enabled ? "on: new jobs are refused (503)" : "off: jobs are accepted")
                + (drain.path("forced_by_config").asBoolean() ? " (forced on by this API's configuration, "
                + "api.drain_mode; the shared switch is " + (drain.path("shared").asBoolean() ? "on" : "off") + ")"
                : "") + ".");
        return ExitCodes.OK;
    }
}
