package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.snowpack.iceberg.servers.AuthGate;
import io.snowpack.iceberg.servers.RestCatalogServer;
import io.snowpack.iceberg.servers.S3Server;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged apps reach where the tables live, configured only by {@code SNOWPACK_CATALOG_*} variables: the Glue
 * catalog loads and really speaks the Glue protocol (to a local HTTP server standing in for AWS), and an
 * {@code s3://} warehouse through {@code S3FileIO} against a real S3-compatible server (S3Proxy, in this JVM) is
 * created by the demo, served by the API app and maintained by the run-once worker app.
 */
class CatalogsAndStorageTest {
    private static final String ACCESS_KEY = "snowpack-test-access";
    private static final String SECRET_KEY = "snowpack-test-secret";
    private static final AtomicInteger RUNS = new AtomicInteger();

    @Test
    void theGlueCatalogLoadsAndSpeaksGlueToItsEndpoint() throws Exception {
        List<Headers> requests = new CopyOnWriteArrayList<>();
        HttpServer glue = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        glue.createContext("/", exchange -> {
            requests.add(exchange.getRequestHeaders());
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"DatabaseList\":[{\"Name\":\"sales\"}]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        glue.start();
        String previousKey = System.setProperty("aws.accessKeyId", ACCESS_KEY);
        String previousSecret = System.setProperty("aws.secretAccessKey", SECRET_KEY);
        try {
            AppEnvironment app = new AppEnvironment(CatalogEnvironment.of(Map.of("type", "glue", "warehouse",
                    "s3://snowpack/warehouse", "glue.endpoint", "http://127.0.0.1:" + glue.getAddress().getPort(),
                    "client.region", "eu-west-1")));

            Catalog catalog = app.catalog();
            List<String> databases = IcebergParts.over(catalog, app.config()).tableSource().databases();

            assertThat(catalog.getClass().getName()).isEqualTo("org.apache.iceberg.aws.glue.GlueCatalog");
            assertThat(databases).containsExactly("sales");
            assertThat(requests).isNotEmpty();
            Headers request = requests.get(0);
            assertThat(request.getFirst("X-Amz-Target")).isEqualTo("AWSGlue.GetDatabases");
            assertThat(request.getFirst("Authorization")).as("signed with the configured credentials and region")
                    .contains("Credential=" + ACCESS_KEY + "/").contains("/eu-west-1/glue/aws4_request");
        } finally {
            restore("aws.accessKeyId", previousKey);
            restore("aws.secretAccessKey", previousSecret);
            glue.stop(0);
        }
    }

    @Test
    void anS3WarehouseIsCreatedServedAndMaintainedByTheApps() throws Exception {
        int run = RUNS.incrementAndGet();
        String name = "s3apps_" + run + "_" + ProcessHandle.current().pid();
        try (S3Server s3 = S3Server.start("snowpack")) {
            Map<String, String> catalog = new HashMap<>(s3.fileIoProperties());
            catalog.put("type", "jdbc");
            catalog.put("uri", "jdbc:h2:mem:" + name + "_catalog;DB_CLOSE_DELAY=-1");
            catalog.put("jdbc.schema-version", "V1");
            catalog.put("warehouse", s3.location("warehouse"));
            maintainOnS3(name, catalog);
        }
    }

    /**
     * The same through Iceberg's own REST catalog server (its own JVM) whose backend writes to the bucket, behind a
     * gate that lets only requests with a valid AWS SigV4 signature through, as API Gateway or S3 Tables do: the
     * apps sign every catalog request with the configured key, region and service.
     */
    @Test
    void aRestCatalogWithSigV4SigningIsServedAndMaintainedByTheApps(@TempDir Path state) throws Exception {
        String name = "restapps_" + RUNS.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (S3Server s3 = S3Server.start("snowpack")) {
            Map<String, String> backend = new HashMap<>(s3.fileIoProperties());
            backend.put("warehouse", s3.location("warehouse"));
            try (RestCatalogServer rest = RestCatalogServer.start(state, backend);
                    AuthGate gate = AuthGate.sigV4(rest.uri(), ACCESS_KEY, SECRET_KEY, "eu-west-1", "execute-api")) {
                Map<String, String> catalog = new HashMap<>(s3.fileIoProperties());
                catalog.put("type", "rest");
                catalog.put("uri", gate.uri().toString());
                catalog.put("rest.sigv4-enabled", "true");
                catalog.put("rest.signing-region", "eu-west-1");
                catalog.put("rest.signing-name", "execute-api");
                catalog.put("rest.access-key-id", ACCESS_KEY);
                catalog.put("rest.secret-access-key", SECRET_KEY);

                maintainOnS3(name, catalog);

                assertThat(gate.refused()).as("requests whose signature did not check out").isEmpty();
                assertThat(gate.forwarded()).as("signed requests let through").isPositive();
                Map<String, String> wrongKey = new HashMap<>(catalog);
                wrongKey.put("rest.secret-access-key", "not-the-secret");
                assertThatThrownBy(() -> new AppEnvironment(CatalogEnvironment.of(wrongKey)).catalog())
                        .hasStackTraceContaining("NotAuthorizedException");
                assertThat(gate.refused()).anyMatch(r -> r.contains("signature"));
            }
        }
    }

    /**
     * The apps, configured only by variables ({@code catalog} as {@code SNOWPACK_CATALOG_*}), create the demo
     * tables in the bucket, serve them (health sync through the catalog) and compact one with the run-once worker.
     */
    private void maintainOnS3(String name, Map<String, String> catalogProperties) throws Exception {
        Map<String, String> env = new HashMap<>(CatalogEnvironment.of(catalogProperties));
        env.put("SNOWPACK_DATABASE_URL", "jdbc:h2:mem:" + name + "_queue;DB_CLOSE_DELAY=-1");
        env.put("SNOWPACK_HTTP_PORT", "0");
        env.put("SNOWPACK_API_TOKEN", "t0ken");
        env.put("SNOWPACK_HEALTH_SYNC_DATABASES", "demo");
        env.put("SNOWPACK_HEALTH_SYNC_INTERVAL", "1s");
        env.put(AppEnvironment.CATALOG_NAME, name);
        AppEnvironment api = new AppEnvironment(env);
        Catalog catalog = api.catalog();
        new DemoWarehouse(catalog).ensure();
        Table events = catalog.loadTable(DemoWarehouse.EVENTS);
        assertThat(events.location()).isEqualTo("s3://snowpack/warehouse/demo/events");
        long rowsBefore = count(events);
        Set<String> dataBefore = objects(events, "s3://snowpack/warehouse/demo/events/data/");
        assertThat(dataBefore).hasSize(DemoWarehouse.EVENT_COMMITS * DemoWarehouse.EVENT_FILES_PER_COMMIT
                + DemoWarehouse.EVENT_DELETE_FILES);
        IcebergParts iceberg = IcebergParts.over(catalog, api.config());

        try (Running running = ApiApp.start(api, iceberg.executor(), iceberg.tableSource())) {
            AppApiClient http = new AppApiClient(running.runtime().apiPort().orElseThrow(), "t0ken");
            http.awaitTables(3);
            HttpResponse<String> submitted = http.send("POST", "/tables/demo/events/maintenance",
                    "{\"actions\": [\"rewrite_data_files\"]}");
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            String location = submitted.headers().firstValue("Location").orElseThrow();

            Map<String, String> workerEnv = new HashMap<>(env);
            workerEnv.put("SNOWPACK_WORKER_MODE", "once");
            assertThat(WorkerApp.run(new AppEnvironment(workerEnv), iceberg.executor())).as("completed").isZero();

            JsonNode job = http.json(location);
            assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("completed");
            assertThat(job.get("results").get(0).get("message").asText()).startsWith("Compacted");
        }
        Table after = catalog.loadTable(DemoWarehouse.EVENTS);
        assertThat(count(after)).isEqualTo(rowsBefore);
        Set<String> dataAfter = objects(after, "s3://snowpack/warehouse/demo/events/data/");
        assertThat(dataAfter).as("the compacted files were written to the bucket").hasSizeGreaterThan(dataBefore.size());
        try (CloseableIterable<FileScanTask> tasks = after.newScan().planFiles()) {
            tasks.forEach(task -> assertThat(dataAfter).contains(task.file().location()));
        }
    }

    private static long count(Table table) throws IOException {
        long rows = 0;
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record ignored : records) {
                rows++;
            }
        }
        return rows;
    }

    private static Set<String> objects(Table table, String prefix) {
        Set<String> locations = new TreeSet<>();
        for (FileInfo file : ((SupportsPrefixOperations) table.io()).listPrefix(prefix)) {
            locations.add(file.location());
        }
        return locations;
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }
}
