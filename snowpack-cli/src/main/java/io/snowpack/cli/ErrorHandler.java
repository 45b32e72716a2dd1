package io.snowpack.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on standard error, {@code snowpack: <what went wrong>}, and its exit code:
 * usage errors 2 (with a pointer to {@code --help}), {@link CliException}s their own code, anything else 5 with
 * the exception's message (never a stack trace).
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        command.getErr().println("snowpack: " + oneLine(e.getMessage()) + " (see '"
                + command.getCommandSpec().qualifiedName() + " --help')");
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        if (e instanceof CliException failure) {
            command.getErr().println("snowpack: " + oneLine(failure.getMessage()));
            return failure.exitCode();
        }
        command.getErr().println("snowpack: unexpected " + e.getClass().getSimpleName() + ": "
                + oneLine(String.valueOf(e.getMessage())));
        return ExitCodes.SERVER_ERROR;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
