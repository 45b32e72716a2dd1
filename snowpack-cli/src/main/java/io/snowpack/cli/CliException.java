package io.snowpack.cli;

/**
 * A command that could not do what was asked. Its message is the one line the CLI prints on standard error (no
 * stack trace), and {@link #exitCode()} is the process's exit code (see {@link ExitCodes}).
 */
public class CliException extends RuntimeException {
    private final int exitCode;

    /** A failure ending the command with {@code exitCode} and {@code message} as its one line. */
    public CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    /** Like {@link #CliException(int, String)}, keeping {@code cause} for debugging. */
    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The exit code the command ends with. */
    public int exitCode() {
        return exitCode;
    }
}
