package io.snowpack.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpack.core.model.JobId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.examples.ApiApp;
import io.snowpack.examples.AppApiClient;
import io.snowpack.examples.AppEnvironment;
import io.snowpack.examples.CatalogConnection;
import io.snowpack.examples.CatalogEnvironment;
import io.snowpack.examples.IcebergParts;
import io.snowpack.examples.Running;
import io.snowpack.iceberg.servers.RestCatalogServer;
import io.snowpack.iceberg.servers.S3Server;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.TestDatabases;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where most users' tables live, taken away mid-run: an {@code s3://} warehouse on a real S3-compatible server
 * (S3Proxy, this JVM) behind Iceberg's own REST catalog server (its own JVM), maintained by worker JVMs of the
 * shipped worker app, with the API app (service, sweeper, health sync) in this JVM, configured only by
 * {@code SNOWPACK_*} variables and {@code worker.max_attempts} at its default of 3. While jobs run, the object store
 * is stopped for 15 s (its port closed), then the catalog server is killed for 15 s (one more worker starts during
 * that outage). Promises checked: the API keeps answering job status and queue metrics during both, and takes and
 * cancels a submission while the catalog is down; every accepted job ends terminal and none failed, since an outage
 * alone costs no attempt; no action is committed by two attempts; every commit in the tables is recorded on its
 * job; no table lost or gained a row; every worker claims again after the outages by itself.
 */
class ObjectStoreOutageTest {
    private static final int TABLES = 9;
    private static final Duration OUTAGE = Duration.ofSeconds(15);
    private static final String NAMESPACE = "lake";
    private static final String SPARE = "spare";
    private static final String TOKEN = "t0ken";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @TempDir
    Path logs;

    @Test
    void jobsRideOutTheObjectStoreAndTheCatalogServerGoingAway() throws Exception {
        List<WorkerProcess> workers = new ArrayList<>();
        OutageWorkload workload = new OutageWorkload(NAMESPACE, TABLES);
        try (S3Server s3 = S3Server.start("lake");
                RestCatalogServer rest = RestCatalogServer.start(data.resolve("rest"), backend(s3))) {
            String schema = TestDatabases.unusedSchemaName("s3outage");
            Map<String, String> env = environment(s3, rest, schema);
            AppEnvironment environment = new AppEnvironment(env);
            Catalog catalog = environment.catalog();
            workload.create(catalog);
            new OutageWorkload(SPARE, 1).create(catalog); // a table without waves, for a submission mid-outage
            try (CatalogConnection connection = CatalogConnection.start(environment::catalog,
                    connected -> IcebergParts.over(connected, environment.config()));
                    Running api = ApiApp.start(environment, connection)) {
                AppApiClient http = new AppApiClient(api.runtime().apiPort().orElseThrow(), TOKEN);
                http.awaitTables(TABLES + 1);
                MaintenanceService service = MaintenanceService.builder()
                        .store(JdbcStore.builder(TestDatabases.postgres()).schema(schema).build())
                        .config(environment.config()).build();
                for (int i = 0; i < 2; i++) {
                    workers.add(WorkerProcess.startApp(env, logs, "worker-" + i));
                }
                workload.submitWave(service, 0);

                Thread.sleep(300);
                s3.stop(); // the object store goes away mid-work: connections refused
                servesJobStatus(http, workload);
                Thread.sleep(OUTAGE.toMillis());
                s3.start();

                workload.appendMore(catalog);
                workload.submitWave(service, 1);
                Thread.sleep(300);
                rest.kill(); // the catalog server crashes mid-work
                workers.add(WorkerProcess.startApp(env, logs, "worker-2")); // a worker started while it is down
                servesJobStatus(http, workload);
                JobId cancelled = submitsAndCancels(http, workload);
                Thread.sleep(OUTAGE.toMillis());
                rest.start();
                LocalTime recovered = LocalTime.now();
                // The worker started during the outage retries its catalog connection with a backoff capped at 30 s.
                awaitLog(workers.get(2), "Connected to the catalog", CatalogConnection.MAX_RETRY.multipliedBy(2));

                workload.appendMore(catalog);
                workload.submitWave(service, 2);
                workload.awaitTerminal(service, Duration.ofMinutes(5));

                OutageWorkload.Audit audit = workload.audit(catalog, service);
                OutageWorkload.WorkerLogs workerLogs = OutageWorkload.workerLogs(workers, recovered, "object-store-outage");
                audit.report("object-store-outage", workload.accepted().size(), workerLogs,
                        "object_store_outage_seconds", OUTAGE.toSeconds(), "catalog_server_outage_seconds",
                        OUTAGE.toSeconds());

                audit.assertNothingLostOrRepeated(workerLogs);
                assertThat(audit.jobs().get(cancelled).status().wireName()).isEqualTo("cancelled");
            }
        } finally {
            for (WorkerProcess worker : workers) {
                worker.close();
            }
        }
    }

    private static void awaitLog(WorkerProcess worker, String line, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!worker.log().contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + line + "' in " + timeout.toSeconds() + " s:\n" + worker.log());
            }
            Thread.sleep(200);
        }
    }

    /** During an outage the API still answers the status of the last accepted job, and the queue's metrics. */
    private static void servesJobStatus(AppApiClient http, OutageWorkload workload) throws Exception {
        List<JobId> accepted = workload.accepted();
        JsonNode job = http.json("/jobs/" + accepted.get(accepted.size() - 1).value());
        assertThat(job.get("status").asText()).as(job.toString()).isNotBlank();
        HttpResponse<String> metrics = http.send("GET", "/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("snowpack_queue_ready_depth");
    }

    /**
     * During an outage the API still takes a submission (for the spare table, which has no active job) and
     * cancels it; returns that job, which the workload then awaits and audits with the others.
     */
    private static JobId submitsAndCancels(AppApiClient http, OutageWorkload workload) throws Exception {
        HttpResponse<String> submitted = http.send("POST", "/tables/" + SPARE + "/t0/maintenance",
                "{\"actions\": [\"rewrite_manifests\"]}");
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        JobId job = new JobId(JSON.readTree(submitted.body()).get("job_id").asText());
        workload.accepted(job);
        HttpResponse<String> cancelled = http.send("POST", "/jobs/" + job.value() + "/cancel", null);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isBetween(200, 299);
        return job;
    }

    /** The REST server's backend: its warehouse on the bucket, through S3FileIO. */
    private static Map<String, String> backend(S3Server s3) {
        Map<String, String> backend = new HashMap<>(s3.fileIoProperties());
        backend.put("warehouse", s3.location("warehouse"));
        return backend;
    }

    private static Map<String, String> environment(S3Server s3, RestCatalogServer rest, String schema) {
        Map<String, String> env = new HashMap<>(ChaosEnvironment.of(TestDatabases.postgresJdbcUrl(), schema));
        env.put("SNOWPACK_WORKER_SLOTS", "1");
        env.put("SNOWPACK_WORKER_MAX_ATTEMPTS", "3");
        env.put("SNOWPACK_WORKER_HEARTBEAT_INTERVAL", "1s");
        env.put("SNOWPACK_SWEEPER_STALE_CLAIM_THRESHOLD", "20s");
        env.put("SNOWPACK_WORKER_LOCK_TTL", "60s");
        env.put("SNOWPACK_HTTP_PORT", "0");
        env.put("SNOWPACK_API_TOKEN", TOKEN);
        env.put("SNOWPACK_HEALTH_SYNC_DATABASES", NAMESPACE + "," + SPARE);
        env.put("SNOWPACK_HEALTH_SYNC_INTERVAL", "2s");
        Map<String, String> catalog = new HashMap<>(s3.fileIoProperties());
        catalog.put("type", "rest");
        catalog.put("uri", rest.uri().toString());
        env.putAll(CatalogEnvironment.of(catalog));
        return env;
    }
}
