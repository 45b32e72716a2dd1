package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A process started with a bad setting exits 2 with one line on standard error that names the variable the
 * operator set, the bad value and what was expected: no {@code Exception in thread "main"}, no stack trace.
 */
class BadSettingsTest {
    @TempDir
    Path dataDirectory;

    @ParameterizedTest(name = "{0} with {1}={2}")
    @CsvSource({
            "api, SNOWPACK_HEALTH_SYNC_CONCURRENCY, 0, expected a whole number >= 1",
            "worker, SNOWPACK_HEALTH_SYNC_CONCURRENCY, 0, expected a whole number >= 1",
            "quickstart, SNOWPACK_HEALTH_SYNC_CONCURRENCY, 0, expected a whole number >= 1",
            "worker, SNOWPACK_WORKER_SLOTS, many, expected a whole number >= 1",
            "worker, SNOWPACK_WORKER_PREFETCH, -1, expected a whole number >= 0",
            "api, SNOWPACK_HTTP_PORT, 99999, expected",
            "api, SNOWPACK_LOG_FORMAT, xml, expected text or json",
            "worker, SNOWPACK_LOG_FORMAT, xml, expected text or json",
            "quickstart, SNOWPACK_LOG_FORMAT, xml, expected text or json",
            "worker, SNOWPACK_METRICS_PORT, 70000, expected a port number from 0 to 65535",
            "worker, SNOWPACK_OTLP_ENDPOINT, otel:4318, expected an http:// or https:// URL",
            "api, SNOWPACK_OTLP_STEP, 0, expected a whole number >= 1",
            "worker, SNOWPACK_METRICS_TABLE_TAGS, maybe, expected"})
    void aBadSettingEndsTheProcessWithOneLineNamingTheVariable(String command, String variable, String value,
            String expected) throws Exception {
        Result result = run(command, variable, value);

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).as("standard error").hasSize(1);
        assertThat(result.stderr().get(0)).contains(variable).contains("'" + value + "'").contains(expected)
                .doesNotContain("Exception").doesNotContain("health_sync.concurrency");
    }

    private record Result(int exitCode, List<String> stderr) {
    }

    private Result run(String command, String variable, String value) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(name -> name.startsWith("SNOWPACK_"));
        builder.environment().put("SNOWPACK_DATA_DIR", dataDirectory.toString());
        builder.environment().put("SNOWPACK_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/unused");
        builder.environment().put("SNOWPACK_CATALOG_TYPE", "rest");
        builder.environment().put("SNOWPACK_CATALOG_URI", "http://127.0.0.1:1");
        builder.environment().put(variable, value);
        Process process = builder.start();
        List<String> stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines().filter(line -> !line.isBlank()).toList();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not exit; stderr: " + stderr);
        }
        return new Result(process.exitValue(), stderr);
    }
}
