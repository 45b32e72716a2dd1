package io.snowpack.examples;

import io.snowpack.cli.SnowpackCli;
import io.snowpack.core.InvalidConfigurationException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Entry point of {@code snowpack.jar}: {@code quickstart} (the default), {@code api}, {@code worker} or {@code cli}
 * (the {@code snowpack} command line, {@link SnowpackCli}, with its own exit codes, e.g.
 * {@code java -jar snowpack.jar cli tables}). A bad setting of the apps ends the process with exit code
 * {@value #BAD_SETTINGS} and one line on standard error naming the variable, its value and what was expected (no
 * stack trace).
 */
public final class Main {
    /** Exit code of a process whose settings are invalid. */
    static final int BAD_SETTINGS = 2;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "quickstart" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        try {
            LogFormat.select(System.getenv()); // before anything logs: logback reads the choice once
            switch (command) {
                case "quickstart" -> Quickstart.main(rest);
                case "api" -> ApiApp.main(rest);
                case "worker" -> WorkerApp.main(rest);
                case "cli" -> System.exit(SnowpackCli.run(rest));
                default -> {
                    System.err.println("Unknown command '" + command + "'. Usage: java -jar snowpack.jar "
                            + "[quickstart | api | worker | cli]; api and worker read SNOWPACK_* environment variables; cli --help "
                            + "lists the CLI's commands.");
                    System.exit(64);
                }
            }
        } catch (Exception e) {
            Optional<InvalidConfigurationException> badSetting = badSetting(e);
            if (badSetting.isEmpty()) {
                throw e;
            }
            System.err.println("snowpack " + command + ": " + badSetting.get().getMessage());
            System.exit(BAD_SETTINGS);
        }
    }

    /** The configuration error behind {@code failure}, when there is one. */
    static Optional<InvalidConfigurationException> badSetting(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidConfigurationException invalid) {
                return Optional.of(invalid);
            }
        }
        return Optional.empty();
    }
}
