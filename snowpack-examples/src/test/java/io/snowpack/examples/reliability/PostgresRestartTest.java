package io.snowpack.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.examples.ApiApp;
import io.snowpack.examples.AppEnvironment;
import io.snowpack.examples.Running;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.testkit.TestData;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, scenario 2: PostgreSQL is stopped mid-run and started again on the same data directory and port. The
 * API process and two worker processes reconnect by themselves, readiness goes 503 and back to 200, and every
 * accepted job completes once.
 */
class PostgresRestartTest {
    private static final int JOBS = 150;
    private static final int TABLES = 15;
    private static final Duration OUTAGE = Duration.ofSeconds(6);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path data;

    @TempDir
    Path logs;

    private EmbeddedPostgres start(int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data.toFile()).setCleanDataDirectory(false)
                .setPort(port).setServerConfig("fsync", "off").start();
    }

    @Test
    void everyPartReconnectsAndNoAcceptedJobIsLostOrDuplicated() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        EmbeddedPostgres postgres = start(port);
        String url = "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
        Map<String, String> env = new HashMap<>(ChaosEnvironment.of(url, "restart"));
        env.put("SNOWPACK_HTTP_PORT", "0");
        env.put("SNOWPACK_HEALTH_SYNC_INTERVAL", "0");
        HikariDataSource testConnections = pool(url);
        List<WorkerProcess> workers = new ArrayList<>();
        boolean sawNotReady = false;
        boolean sawReadyAgain = false;
        int refusedDuringOutage = 0;
        try (Running api = ApiApp.start(new AppEnvironment(env),
                new LedgerExecutor(new Ledger(testConnections, "restart"), "api"), null)) {
            Ledger ledger = new Ledger(testConnections, "restart");
            ledger.create();
            int apiPort = api.runtime().apiPort().orElseThrow();
            try (SnowpackStore store = JdbcStore.builder(testConnections).schema("restart").build()) {
                for (int i = 0; i < TABLES; i++) {
                    store.tables().upsert(TestData.health(TableId.of("restart", "t" + i), store.now(), true));
                }
            }
            for (int i = 0; i < 2; i++) {
                workers.add(WorkerProcess.start(env, logs, "worker-" + i));
            }

            Set<String> accepted = new LinkedHashSet<>();
            long outageAt = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            boolean restarted = false;
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            int next = 0;
            while (System.nanoTime() < deadline) {
                if (!restarted && System.nanoTime() >= outageAt) {
                    postgres.close();
                    long back = System.nanoTime() + OUTAGE.toNanos();
                    while (System.nanoTime() < back) {
                        sawNotReady |= status(apiPort, "/readyz") == 503;
                        if (submit(apiPort, "restart", "t" + (next++ % TABLES)) == 503) {
                            refusedDuringOutage++;
                        }
                        Thread.sleep(250);
                    }
                    postgres = start(port);
                    restarted = true;
                    long ready = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (!sawReadyAgain && System.nanoTime() < ready) {
                        sawReadyAgain = status(apiPort, "/readyz") == 200;
                        Thread.sleep(250);
                    }
                }
                if (accepted.size() < JOBS) {
                    HttpResponse<String> response = post(apiPort, "restart", "t" + (next++ % TABLES));
                    if (response.statusCode() == 202) {
                        accepted.add(JSON.readTree(response.body()).get("job_id").asText());
                    }
                } else if (restarted && openJobs(apiPort) == 0) {
                    break;
                }
                Thread.sleep(20);
            }
            for (WorkerProcess worker : workers) {
                worker.terminate();
            }

            JsonNode jobs = JSON.readTree(get(apiPort, "/jobs?limit=500").body());
            Map<String, String> statuses = new HashMap<>();
            jobs.forEach(job -> statuses.put(job.get("job_id").asText(), job.get("status").asText()));
            List<Ledger.Commit> commits = ledger.commits();
            long lost = accepted.stream().filter(id -> !"completed".equals(statuses.get(id))).count();
            long repeated = commits.size() - commits.stream().map(Ledger.Commit::jobId).distinct().count();

            ReliabilityReport.write("postgres-restart", "jobs_accepted", accepted.size(),
                    "outage_seconds", OUTAGE.toSeconds(), "submits_refused_during_outage", refusedDuringOutage,
                    "readiness_503_seen", sawNotReady, "readiness_200_again", sawReadyAgain, "lost", lost,
                    "jobs_in_database", statuses.size(), "repeated_commits", repeated,
                    "commits_with_revoked_fence", commits.stream().filter(c -> !c.fenceValid()).count());

            assertThat(sawNotReady).as("readiness went 503 during the outage").isTrue();
            assertThat(sawReadyAgain).as("readiness came back to 200").isTrue();
            assertThat(accepted).hasSize(JOBS);
            assertThat(statuses).hasSize(JOBS);
            assertThat(lost).as("accepted jobs not completed").isZero();
            assertThat(commits.stream().filter(c -> !c.fenceValid())).isEmpty();
        } finally {
            for (WorkerProcess worker : workers) {
                worker.close();
            }
            testConnections.close();
            postgres.close();
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    private int submit(int port, String db, String table) {
        try {
            return post(port, db, table).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private HttpResponse<String> post(int port, String db, String table) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tables/" + db + "/"
                        + table + "/maintenance")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"actions\": [\"rewrite_data_files\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(int port, String path) {
        try {
            return get(port, path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private int openJobs(int port) throws Exception {
        return JSON.readTree(get(port, "/jobs?status=pending&limit=500").body()).size()
                + JSON.readTree(get(port, "/jobs?status=running&limit=500").body()).size();
    }
}
