package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snowpack.core.model.TableId;
import io.snowpack.jdbc.TestDatabases;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL deployment apps configured only by environment variables: the API process migrates and serves, the
 * run-once worker exits 0 when idle and runs a submitted job to completion.
 */
class DeploymentAppsTest {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    @TempDir
    Path warehouse;

    private Map<String, String> environment() {
        return DemoAppVariables.of("apps_" + SCHEMAS.incrementAndGet() + "_" + ProcessHandle.current().pid(), warehouse,
                "t0ken");
    }

    @Test
    void theApiProcessServesAndTheRunOnceWorkerRunsWhatItSubmits() throws Exception {
        Map<String, String> env = environment();
        // No health sync: the submit caches the table's health, and only the worker's refresh can update it after.
        env.put("SNOWPACK_HEALTH_SYNC_INTERVAL", "0s");
        AppEnvironment api = new AppEnvironment(env);
        Catalog catalog = api.catalog();
        new DemoWarehouse(catalog).ensure();
        IcebergParts iceberg = IcebergParts.over(catalog, api.config());

        try (Running running = ApiApp.start(api, iceberg.executor(), iceberg.tableSource())) {
            AppApiClient http = new AppApiClient(running.runtime().apiPort().orElseThrow(), "t0ken");
            assertThat(http.send("GET", "/readyz", null).statusCode()).isEqualTo(200);
            assertThat(running.dataSource().getMaximumPoolSize()).as("the API's pool").isEqualTo(13);
            assertThat(applicationNames()).as("pg_stat_activity names the API's connections").contains("snowpack-api");

            Map<String, String> workerEnv = new HashMap<>(env);
            workerEnv.put("SNOWPACK_WORKER_MODE", "once");
            AppEnvironment worker = new AppEnvironment(workerEnv);
            assertThat(WorkerApp.run(worker, iceberg.executor())).as("nothing to claim").isZero();

            HttpResponse<String> submitted = http.send("POST", "/tables/demo/events/maintenance",
                    "{\"actions\": [\"rewrite_data_files\"]}");
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            String location = submitted.headers().firstValue("Location").orElseThrow();

            long filesBefore = http.json("/tables/demo/events").get("data_files").asLong();
            assertThat(WorkerApp.run(worker, iceberg)).as("completed").isZero();

            JsonNode job = http.json(location);
            assertThat(job.get("status").asText()).isEqualTo("completed");
            assertThat(job.get("results").get(0).get("message").asText()).startsWith("Compacted");
            long filesNow = iceberg.tableSource().health(TableId.parse("demo.events")).dataFiles();
            assertThat(filesNow).as("the compaction rewrote the small files").isLessThan(filesBefore);
            // The API's own read cache may serve the old row for its TTL (2 s): well before the next health sync.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long cached = http.json("/tables/demo/events").get("data_files").asLong();
            while (cached != filesNow && System.nanoTime() < deadline) {
                Thread.sleep(100);
                cached = http.json("/tables/demo/events").get("data_files").asLong();
            }
            assertThat(cached).as("the cached health, refreshed by the worker right after its job").isEqualTo(filesNow);
        }
    }

    private static List<String> applicationNames() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = TestDatabases.postgresUnpooled().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT application_name FROM pg_stat_activity")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
