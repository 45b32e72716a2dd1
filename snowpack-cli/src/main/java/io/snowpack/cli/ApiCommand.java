package io.snowpack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/**
 * A subcommand that talks to the API: it gets the client and printer of the {@code snowpack} command it runs
 * under (URL, token, output format) and returns its exit code.
 */
abstract class ApiCommand implements Callable<Integer> {
    @ParentCommand
    SnowpackCli cli;

    @Override
    public final Integer call() {
        return run(cli.client(), cli.printer());
    }

    /** Does the command's work; returns the exit code ({@link ExitCodes}). */
    abstract int run(ApiClient api, Printer printer);
}
