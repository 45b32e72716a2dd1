package io.snowpack.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One run of the {@code snowpack} command line: its exit code and what it printed.
 *
 * @param exitCode the exit code
 * @param out      standard output
 * @param err      standard error
 */
record CliRun(int exitCode, String out, String err) {
    /** Runs {@code args} with {@code env} as the environment. */
    static CliRun of(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SnowpackCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code args} in the background; {@link Running#out()} shows what it printed so far (BAOS reads are
     * synchronized), so a test can act once the command reached a given point.
     */
    static Running start(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> {
            int code = SnowpackCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), env);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        });
        return new Running(run, out, err);
    }

    /** A command running in the background. */
    record Running(CompletableFuture<CliRun> result, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        /** Standard output and error printed so far. */
        String printed() {
            return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
