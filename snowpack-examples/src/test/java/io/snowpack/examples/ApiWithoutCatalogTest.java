package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpack.jdbc.TestDatabases;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code api} command started while its catalog is really down: an Iceberg JDBC catalog on an H2 server that is
 * not listening yet. The process must start and serve job status and cancel, report the catalog in {@code /readyz},
 * and connect by itself once the H2 server starts, after which health sync fills the cache from it.
 */
class ApiWithoutCatalogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("Snowpack API listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final String NO_SUCH_JOB = "0123456789abcdef0123456789abcdef";

    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path directory;

    @Test
    void theApiStartsWithTheCatalogDownReportsItAndConnectsWhenItComesUp() throws Exception {
        int catalogPort = freePort();
        String catalogUrl = "jdbc:h2:tcp://127.0.0.1:" + catalogPort + "/mem:catalog;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
        Path warehouse = Files.createDirectories(directory.resolve("warehouse"));
        Map<String, String> env = new HashMap<>();
        env.put("SNOWPACK_DATABASE_URL", TestDatabases.postgresJdbcUrl());
        env.put("SNOWPACK_DATABASE_USER", "postgres");
        env.put("SNOWPACK_SCHEMA", "no_catalog_" + ProcessHandle.current().pid());
        env.put("SNOWPACK_HTTP_PORT", "0");
        env.put("SNOWPACK_HEALTH_SYNC_DATABASES", "demo");
        env.put("SNOWPACK_HEALTH_SYNC_INTERVAL", "1s");
        env.put("SNOWPACK_CATALOG_TYPE", "jdbc");
        env.put("SNOWPACK_CATALOG_URI", catalogUrl);
        env.put("SNOWPACK_CATALOG_WAREHOUSE", warehouse.toUri().toString());
        env.put("SNOWPACK_CATALOG_IO__IMPL", "org.apache.iceberg.hadoop.HadoopFileIO");
        env.put("SNOWPACK_CATALOG_JDBC_SCHEMA__VERSION", "V1");

        Path log = directory.resolve("api.log");
        Process api = startApi(env, log);
        Server catalogServer = null;
        try {
            int port = awaitListening(api, log);

            assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
            JsonNode notReady = JSON.readTree(get(port, "/readyz").body());
            assertThat(notReady.get("checks").get("catalog").asText()).startsWith("unavailable since");
            assertThat(notReady.get("checks").get("database").asText()).isEqualTo("ok");
            HttpResponse<String> status = get(port, "/jobs/" + NO_SUCH_JOB);
            assertThat(status.statusCode()).as("job status answers").isEqualTo(404);
            assertThat(status.body()).contains("job_not_found");
            HttpResponse<String> cancel = post(port, "/jobs/" + NO_SUCH_JOB + "/cancel");
            assertThat(cancel.statusCode()).as("cancel answers").isEqualTo(404);
            HttpResponse<String> live = get(port, "/tables/demo/events/health");
            assertThat(live.statusCode()).as("live health needs the catalog: %s", live.body()).isEqualTo(503);
            assertThat(live.body()).contains("not connected yet");

            catalogServer = Server.createTcpServer("-tcpPort", Integer.toString(catalogPort), "-ifNotExists")
                    .start();
            // connected to a catalog that has no namespace yet while health sync expects demo: said loudly
            await(port, "/readyz", body -> body.get("checks").get("catalog").asText()
                    .matches("misconfigured \\(connected.*\\): catalog 'snowpack' lists 0 namespaces.*"));
            // only now: the api creates the catalog's own tables as it connects, and two processes doing that DDL
            // at once on H2 fail with "Concurrent update in table SYS" (seen on a loaded machine)
            createDemoTables(catalogUrl, warehouse);
            await(port, "/tables/cache-status", body -> body.get("table_count").asInt() >= 3);
            assertThat(get(port, "/tables/demo/events/health").statusCode()).isEqualTo(200);
            assertThat(Files.readString(log)).contains("The catalog cannot be reached", "Connected to the catalog",
                    "MISCONFIGURED CATALOG: catalog 'snowpack' lists 0 namespaces");
        } finally {
            api.destroy();
            if (!api.waitFor(60, TimeUnit.SECONDS)) {
                api.destroyForcibly();
            }
            if (catalogServer != null) {
                catalogServer.stop();
            }
        }
    }

    private static Process startApi(Map<String, String> env, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "api")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int awaitListening(Process api, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            Matcher listening = LISTENING.matcher(text);
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            if (!api.isAlive()) {
                throw new AssertionError("the api process exited with " + api.exitValue() + ":\n" + text);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the api process did not start listening:\n" + Files.readString(log));
    }

    private static void createDemoTables(String catalogUrl, Path warehouse) throws Exception {
        JdbcCatalog catalog = new JdbcCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize("snowpack", Map.of(CatalogProperties.URI, catalogUrl,
                CatalogProperties.WAREHOUSE_LOCATION, warehouse.toUri().toString(),
                CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO",
                "jdbc.schema-version", "V1"));
        try (catalog) {
            new DemoWarehouse(catalog).ensure();
        }
    }

    private void await(int port, String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = get(port, path).body();
            if (done.test(JSON.readTree(last))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " never showed what was awaited; last answer: " + last);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
