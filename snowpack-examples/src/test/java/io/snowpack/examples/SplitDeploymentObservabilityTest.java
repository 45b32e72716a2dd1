package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A split deployment, as the shipped manifests run it: the API process (here in the test JVM, with its own
 * registry, as {@code snowpack.jar api} builds it) and a worker in a JVM of its own ({@code snowpack.jar worker}),
 * over embedded PostgreSQL and a JDBC Iceberg catalog. The worker serves {@code /metrics} on
 * {@code SNOWPACK_METRICS_PORT}: job and action series come from there (issue 18: they were lost when the two were
 * split); every metric the Grafana dashboard ({@code deploy/grafana-dashboard.json}) queries resolves in the union
 * of the two scrapes; every meter has a {@code # HELP} text; and the worker's log lines of a running job carry a
 * date, {@code job_id} and {@code table}, as text or, with {@code SNOWPACK_LOG_FORMAT=json}, as JSON lines.
 */
class SplitDeploymentObservabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DASHBOARD = Path.of("deploy", "grafana-dashboard.json");
    private static final Pattern DATED_LINE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}"
            + "(Z|[+-]\\d{2}:\\d{2}) \\[[^\\]]+] (TRACE|DEBUG|INFO |WARN |ERROR) \\S+");

    @TempDir
    static Path directory;

    private static Map<String, String> environment;
    private static Running api;
    private static AppApiClient http;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void startTheApi() throws Exception {
        Path warehouse = Files.createDirectories(directory.resolve("warehouse"));
        String schema = "obs_" + ProcessHandle.current().pid();
        environment = DemoAppVariables.of(schema, warehouse, "t0ken");
        environment.put("SNOWPACK_SWEEPER_INTERVAL", "1s");
        AppEnvironment apiEnvironment = new AppEnvironment(environment);
        Catalog catalog = apiEnvironment.catalog();
        new DemoWarehouse(catalog).ensure();
        IcebergParts iceberg = IcebergParts.over(catalog, apiEnvironment.config());
        api = ApiApp.start(apiEnvironment, iceberg.executor(), iceberg.tableSource());
        http = new AppApiClient(api.runtime().apiPort().orElseThrow(), "t0ken");
        http.awaitTables(3);
    }

    @AfterAll
    static void stopTheApi() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void theWorkerServesJobMetricsAndEveryDashboardQueryResolves() throws Exception {
        int metricsPort = freePort();
        Map<String, String> workerEnvironment = new HashMap<>(environment);
        workerEnvironment.put("SNOWPACK_METRICS_PORT", Integer.toString(metricsPort));
        Path log = directory.resolve("worker.log");
        Process worker = startWorker(workerEnvironment, log);
        try {
            awaitHealthy(worker, metricsPort, log);
            String jobId = runJob("events", "[\"rewrite_data_files\", \"expire_snapshots\"]");

            String workerScrape = awaitScrape(metricsPort, "snowpack_jobs_finished_total{");
            String apiScrape = get(api.runtime().apiPort().orElseThrow(), "/metrics", "t0ken").body();
            Map<String, String> workerSamples = samples(workerScrape);
            Map<String, String> apiSamples = samples(apiScrape);

            assertThat(workerSamples.keySet()).as("job and action series, from the worker's own endpoint")
                    .contains("snowpack_jobs_finished_total", "snowpack_job_duration_seconds_bucket",
                            "snowpack_action_duration_seconds_bucket", "snowpack_worker_claim_duration_seconds_bucket",
                            "snowpack_rewrite_files_total", "snowpack_rewrite_bytes_total",
                            "hikaricp_connections_active", "jvm_memory_used_bytes", "jvm_threads_live_threads");
            assertThat(workerScrape).contains("snowpack_jobs_finished_total{outcome=\"completed\"")
                    .contains("action=\"rewrite_data_files\"");
            assertThat(apiSamples.keySet()).as("the API process runs no worker")
                    .doesNotContain("snowpack_jobs_finished_total", "snowpack_action_duration_seconds_bucket")
                    .contains("snowpack_jobs_submitted_total", "snowpack_http_requests_seconds_bucket",
                            "hikaricp_connections_active", "jvm_memory_used_bytes");
            assertThat(apiScrape).contains("pool=\"snowpack-api\"");
            assertThat(workerScrape).contains("pool=\"snowpack-worker\"");

            Set<String> queried = dashboardMetrics();
            assertThat(queried).as("the dashboard's metrics").hasSizeGreaterThan(20);
            Set<String> scraped = new TreeSet<>(workerSamples.keySet());
            scraped.addAll(apiSamples.keySet());
            assertThat(scraped).as("every metric the dashboard queries, in the union of the two scrapes")
                    .containsAll(queried);

            assertThat(missingHelp(workerScrape)).as("worker meters without a # HELP text").isEmpty();
            assertThat(missingHelp(apiScrape)).as("API meters without a # HELP text").isEmpty();
            assertThat(get(metricsPort, "/healthz", null).body()).contains("\"ok\"");

            List<String> jobLines = Files.readAllLines(log).stream().filter(line -> line.contains(jobId)).toList();
            assertThat(jobLines).as("the worker's lines about the job").hasSizeGreaterThanOrEqualTo(3);
            List<String> runningLines = jobLines.stream().filter(line -> line.contains(" job_id=" + jobId)).toList();
            assertThat(runningLines).as("lines logged while the job ran carry job_id and table from the MDC")
                    .hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(line -> assertThat(line).containsPattern(DATED_LINE)
                            .contains(" table=demo.events"));
            assertThat(Files.readAllLines(log).stream().filter(line -> line.contains("Started job " + jobId)))
                    .singleElement().asString().contains("job_id=" + jobId);
        } finally {
            stop(worker);
        }
    }

    @Test
    void jsonLogLinesCarryTheJobAndTable() throws Exception {
        Map<String, String> workerEnvironment = new HashMap<>(environment);
        workerEnvironment.put("SNOWPACK_LOG_FORMAT", "json");
        workerEnvironment.put("SNOWPACK_WORKER_MODE", "once");
        HttpResponse<String> submitted = http.send("POST", "/tables/demo/orders/maintenance",
                "{\"actions\": [\"rewrite_data_files\"]}");
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String jobId = JSON.readTree(submitted.body()).get("job_id").asText();

        Path log = directory.resolve("worker-json.log");
        Process worker = startWorker(workerEnvironment, log);
        try {
            assertThat(worker.waitFor(3, TimeUnit.MINUTES)).as("the run-once worker exits").isTrue();
            assertThat(worker.exitValue()).as(Files.readString(log)).isZero();
        } finally {
            stop(worker);
        }
        assertThat(http.json("/jobs/" + jobId).get("status").asText()).isEqualTo("completed");

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line)); // every line is JSON: a log shipper needs no multi-line rules
            }
        }
        assertThat(lines).as("log lines").isNotEmpty().allSatisfy(line -> {
            assertThat(line.path("timestamp").asLong()).as("epoch millis").isPositive();
            assertThat(line.path("level").asText()).isNotEmpty();
            assertThat(line.path("loggerName").asText()).isNotEmpty();
            assertThat(line.path("threadName").asText()).isNotEmpty();
        });
        List<JsonNode> jobLines = lines.stream().filter(line -> jobId.equals(line.at("/mdc/job_id").asText()))
                .toList();
        assertThat(jobLines).as("lines logged while the job ran").hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(line -> assertThat(line.at("/mdc/table").asText()).isEqualTo("demo.orders"));
        assertThat(jobLines).anySatisfy(line -> assertThat(line.path("formattedMessage").asText())
                .startsWith("Started job " + jobId));
    }

    /** Submits {@code actions} on {@code demo.<table>} and waits for the worker to complete the job. */
    private String runJob(String table, String actions) throws Exception {
        HttpResponse<String> submitted = http.send("POST", "/tables/demo/" + table + "/maintenance",
                "{\"actions\": " + actions + "}");
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String jobId = JSON.readTree(submitted.body()).get("job_id").asText();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status = http.json("/jobs/" + jobId).get("status").asText();
            if (status.equals("completed") || status.equals("failed")) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(status).as("job %s", jobId).isEqualTo("completed");
        return jobId;
    }

    /**
     * Every metric name the dashboard's PromQL uses: label matchers, strings, ranges, grouping clauses and Grafana
     * variables taken out, then every identifier that is not a function call or a PromQL keyword.
     */
    static Set<String> dashboardMetrics() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        Set<String> names = new TreeSet<>();
        Set<String> keywords = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and",
                "or", "unless", "offset", "inf", "nan");
        Pattern identifier = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.get("expr").asText()
                        .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                        .replaceAll("\\{[^}]*}", "")
                        .replaceAll("\\[[^]]*]", "")
                        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                        .replaceAll("\\$\\w+", " ");
                Matcher m = identifier.matcher(expr);
                while (m.find()) {
                    String word = m.group();
                    boolean call = expr.substring(m.end()).matches("(?s)\\s*\\(.*");
                    if (!call && !keywords.contains(word.toLowerCase()) && !Character.isDigit(word.charAt(0))) {
                        names.add(word);
                    }
                }
            }
        }
        return names;
    }

    /** Sample name → its first line, from Prometheus text. */
    private static Map<String, String> samples(String scrape) {
        Map<String, String> samples = new LinkedHashMap<>();
        for (String line : scrape.lines().toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('{');
            String name = line.substring(0, end >= 0 ? end : line.indexOf(' '));
            samples.putIfAbsent(name, line);
        }
        return samples;
    }

    /** The metric families whose {@code # HELP} line has no text. */
    static List<String> missingHelp(String scrape) {
        List<String> missing = new ArrayList<>();
        Set<String> described = new TreeSet<>();
        for (String line : scrape.lines().toList()) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.split(" ", 4);
                if (parts.length < 4 || parts[3].isBlank()) {
                    missing.add(parts[2]);
                } else {
                    described.add(parts[2]);
                }
            }
        }
        for (String line : scrape.lines().toList()) {
            if (line.startsWith("# TYPE ")) {
                String family = line.split(" ")[2];
                if (!described.contains(family) && !missing.contains(family)) {
                    missing.add(family + " (no # HELP line)");
                }
            }
        }
        return missing;
    }

    private String awaitScrape(int port, String awaited) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = get(port, "/metrics", null).body();
            if (body.contains(awaited)) {
                return body;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the worker's /metrics never showed " + awaited + ":\n" + body);
    }

    private void awaitHealthy(Process worker, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!worker.isAlive()) {
                throw new AssertionError("the worker exited with " + worker.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (get(port, "/healthz", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the worker's metrics port never answered:\n" + Files.readString(log));
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code snowpack.jar worker} in a JVM of its own; its standard error (the log) goes to {@code log}. */
    private static Process startWorker(Map<String, String> env, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Duser.timezone=" + TimeZone.getDefault().getID(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "worker")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SNOWPACK_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
