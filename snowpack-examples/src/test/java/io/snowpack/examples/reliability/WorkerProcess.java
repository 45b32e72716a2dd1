package io.snowpack.examples.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;

/** A worker JVM started from the test: killed with SIGKILL, paused with SIGSTOP, resumed, or stopped with SIGTERM. */
final class WorkerProcess implements AutoCloseable {
    /**
     * The test JVM's time zone (surefire sets one far from UTC), so the times of day in a worker's log compare with
     * the test's {@code LocalTime.now()}: without it a worker logged in the machine's zone and, between 00:00 and
     * 03:00 UTC, every line looked older than the recovery it followed.
     */
    private static final String TIME_ZONE = "-Duser.timezone=" + TimeZone.getDefault().getID();

    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static WorkerProcess start(Map<String, String> environment, Path logDirectory, String name) throws IOException {
        Path log = logDirectory.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                TIME_ZONE, "-cp", System.getProperty("java.class.path"), ChaosWorkerMain.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new WorkerProcess(builder.start(), log);
    }

    /** The real worker app ({@code snowpack.jar worker}) in a JVM of its own, configured by {@code environment}. */
    static WorkerProcess startApp(Map<String, String> environment, Path logDirectory, String name)
            throws IOException {
        Path log = logDirectory.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                TIME_ZONE, "-cp", System.getProperty("java.class.path"), "io.snowpack.examples.Main", "worker")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new WorkerProcess(builder.start(), log);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no graceful hand-back. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    /** Exit code of a JVM that ran its shutdown hooks after SIGTERM (128 + 15). */
    static final int TERMINATED = 143;

    /** SIGTERM, then waits for the graceful exit; returns the exit code ({@link #TERMINATED} when graceful). */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
