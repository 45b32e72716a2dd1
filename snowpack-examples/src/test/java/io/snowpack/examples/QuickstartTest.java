package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.Job;
import io.snowpack.http.HttpSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the quickstart in-process on a free port and drives it over HTTP until the orchestrator compacts events. */
class QuickstartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path data;

    private JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void theOrchestratorCompactsEventsAndASecondRunReusesTheData() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        HttpSettings http = HttpSettings.defaults().withPort(0);
        long smallFilesBefore;
        String firstJob;
        try (Quickstart quickstart = Quickstart.start(data, SnowpackConfig.defaults(), http, out)) {
            int port = quickstart.port();
            smallFilesBefore = quickstart.liveHealth().get(0).smallFiles();
            assertThat(smallFilesBefore).isGreaterThanOrEqualTo(200);
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Created", "demo.events", "small files");

            JsonNode job = awaitOrchestratorJob(port);
            assertThat(job.get("status").asText()).isEqualTo("completed");
            firstJob = job.get("job_id").asText();
            Optional<Job> maintained = quickstart.awaitEventsMaintained(Duration.ofMinutes(1));
            assertThat(maintained).as("this run's job").hasValueSatisfying(j ->
                    assertThat(j.jobId().value()).isEqualTo(job.get("job_id").asText()));
            assertThat(quickstart.outcome(maintained)).startsWith("The orchestrator maintained demo.events (job "
                    + job.get("job_id").asText());
            long liveFiles = quickstart.liveHealth().get(0).dataFiles();
            assertThat(awaitCachedDataFiles(port, liveFiles)).as("GET /tables shows the job's effect").isTrue();
            assertThat(job.get("results").get(0).get("action").asText()).isEqualTo("rewrite_data_files");
            assertThat(job.get("results").get(0).get("message").asText()).startsWith("Compacted");

            JsonNode events = get(port, "/tables/demo/events/health");
            assertThat(events.get("small_files").asLong()).isLessThan(smallFilesBefore);
            assertThat(events.get("position_delete_files").asLong()).isZero();
            JsonNode clicks = get(port, "/tables/demo/clicks/maintenance-plan");
            assertThat(clicks.get("skipped_by").get(0).asText()).isEqualTo("not_opted_in");
            assertThat(get(port, "/orchestrator/runs").size()).isPositive();
            assertThat(Quickstart.tour(port)).contains("curl -s 'http://127.0.0.1:" + port + "/tables?database=demo'");
        }

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        try (Quickstart second = Quickstart.start(data, SnowpackConfig.defaults(), http,
                new PrintStream(again, true, StandardCharsets.UTF_8))) {
            assertThat(again.toString(StandardCharsets.UTF_8)).contains("Reusing the demo tables");
            assertThat(second.liveHealth().get(0).smallFiles()).isLessThan(smallFilesBefore);
            JsonNode jobs = get(second.port(), "/jobs?table=demo.events");
            assertThat(jobs.size()).as("the first run's jobs are still there").isPositive();
            Optional<Job> maintained = second.awaitEventsMaintained(Duration.ofMinutes(2));
            if (maintained.isPresent()) { // the table needed maintenance again: then it is this run's own job
                assertThat(maintained.get().jobId().value()).as("the first run's job is not this run's")
                        .isNotEqualTo(firstJob);
            } else {
                assertThat(second.outcome(maintained)).startsWith("demo.events needs no maintenance now: an earlier "
                        + "run maintained it (job ");
            }
        }
    }

    /** Whether the cached {@code data_files} of demo.events reaches {@code expected} within 30 s. */
    private boolean awaitCachedDataFiles(int port, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (get(port, "/tables/demo/events").get("data_files").asLong() == expected) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private JsonNode awaitOrchestratorJob(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode job : get(port, "/jobs?table=demo.events")) {
                if (job.get("triggered_by").asText().equals("orchestrator")
                        && !job.get("status").asText().matches("pending|running")) {
                    return job;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the orchestrator did not maintain demo.events within 3 minutes");
    }
}
