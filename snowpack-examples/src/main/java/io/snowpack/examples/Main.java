package io.snowpack.examples;

import java.util.Arrays;

/**
 * Entry point of {@code snowpack.jar}: {@code quickstart} (the default), {@code api} or {@code worker}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "quickstart" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "quickstart" -> Quickstart.main(rest);
            case "api" -> ApiApp.main(rest);
            case "worker" -> WorkerApp.main(rest);
            default -> {
                System.err.println("Unknown command '" + command + "'. Usage: java -jar snowpack.jar "
                        + "[quickstart | api | worker]; api and worker read SNOWPACK_* environment variables.");
                System.exit(64);
            }
        }
    }
}
