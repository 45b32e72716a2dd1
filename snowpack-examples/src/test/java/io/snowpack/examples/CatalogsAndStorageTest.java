package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;
import org.junit.jupiter.api.Test;

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

    /**
     * The variable that carries Iceberg catalog property {@code property}, in Iceberg's spelling, which
     * {@link AppEnvironment} reads: {@code -} as {@code __} and {@code .} as {@code _} (so
     * {@code s3.path-style-access} is {@code SNOWPACK_CATALOG_S3_PATH__STYLE__ACCESS}). The one place that knows the
     * convention.
     */
    private static String catalogVariable(String property) {
        return AppEnvironment.CATALOG_PREFIX + property.replace("-", "__").replace(".", "_").toUpperCase(Locale.ROOT);
    }

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
            Map<String, String> env = new HashMap<>();
            env.put(catalogVariable("type"), "glue");
            env.put(catalogVariable("warehouse"), "s3://snowpack/warehouse");
            env.put(catalogVariable("glue.endpoint"), "http://127.0.0.1:" + glue.getAddress().getPort());
            env.put(catalogVariable("client.region"), "eu-west-1");
            AppEnvironment app = new AppEnvironment(env);

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
        try (BlobStoreContext blobs = ContextBuilder.newBuilder(new TransientApiMetadata())
                .credentials(ACCESS_KEY, SECRET_KEY).build(BlobStoreContext.class)) {
            blobs.getBlobStore().createContainerInLocation(null, "snowpack");
            S3Proxy s3 = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .ignoreUnknownHeaders(true).build();
            s3.start();
            try {
                awaitStarted(s3);
                maintainOnS3(run, "http://127.0.0.1:" + s3.getPort());
            } finally {
                s3.stop();
            }
        }
    }

    private void maintainOnS3(int run, String endpoint) throws Exception {
        String name = "s3apps_" + run + "_" + ProcessHandle.current().pid();
        Map<String, String> env = new HashMap<>();
        env.put("SNOWPACK_DATABASE_URL", "jdbc:h2:mem:" + name + "_queue;DB_CLOSE_DELAY=-1");
        env.put("SNOWPACK_HTTP_PORT", "0");
        env.put("SNOWPACK_API_TOKEN", "t0ken");
        env.put("SNOWPACK_HEALTH_SYNC_DATABASES", "demo");
        env.put("SNOWPACK_HEALTH_SYNC_INTERVAL", "1s");
        env.put(AppEnvironment.CATALOG_NAME, name);
        env.put(catalogVariable("type"), "jdbc");
        env.put(catalogVariable("uri"), "jdbc:h2:mem:" + name + "_catalog;DB_CLOSE_DELAY=-1");
        env.put(catalogVariable("jdbc.schema-version"), "V1");
        env.put(catalogVariable("warehouse"), "s3://snowpack/warehouse");
        env.put(catalogVariable("io-impl"), "org.apache.iceberg.aws.s3.S3FileIO");
        env.put(catalogVariable("s3.endpoint"), endpoint);
        env.put(catalogVariable("s3.path-style-access"), "true");
        env.put(catalogVariable("s3.access-key-id"), ACCESS_KEY);
        env.put(catalogVariable("s3.secret-access-key"), SECRET_KEY);
        env.put(catalogVariable("client.region"), "us-east-1");
        // S3Proxy 2.6 predates the SDK's default aws-chunked uploads with trailing checksums; AWS S3 needs neither.
        env.put(catalogVariable("s3.chunked-encoding-enabled"), "false");
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

    private static void awaitStarted(S3Proxy s3) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"STARTED".equals(s3.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + s3.getState());
            }
            Thread.sleep(10);
        }
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }
}
