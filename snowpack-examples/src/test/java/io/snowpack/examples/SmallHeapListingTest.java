package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpack.jdbc.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measurement of issue 17 as a test: 32 clients list all of 5,000 cached tables at once from an API JVM with a
 * 64 MiB heap (half of the 128 MiB where whole pages in memory threw 13-14 {@code OutOfMemoryError}s). Every client
 * gets its whole listing, after 429s with {@code Retry-After} while the process's listing slots are taken; no
 * answer is a 5xx, the process never runs out of heap and never blames the database.
 */
class SmallHeapListingTest {
    private static final int TABLES = 5_000;
    private static final int CLIENTS = 32;
    private static final Pattern LISTENING = Pattern.compile("small-heap api on port (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void thirtyTwoFullListingsAtOnceFromA64MibHeapAllComplete() throws Exception {
        DataSource postgres = TestDatabases.postgres();
        String schema = TestDatabases.newSchema(postgres, "small_heap");
        fill(postgres, schema);

        Path log = directory.resolve("api.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), SmallHeapApiMain.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SNOWPACK_DATABASE_URL", TestDatabases.postgresJdbcUrl());
        builder.environment().put("SNOWPACK_SCHEMA", schema);
        Process api = builder.start();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            int port = awaitPort(api, log);
            HttpClient http = HttpClient.newHttpClient();
            AtomicInteger refused = new AtomicInteger();
            List<Future<Integer>> listings = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                listings.add(clients.submit(() -> listAll(http, port, refused)));
            }
            for (Future<Integer> listing : listings) {
                assertThat(listing.get(5, TimeUnit.MINUTES)).isEqualTo(TABLES);
            }
            assertThat(api.isAlive()).as(Files.readString(log)).isTrue();
            assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError", "backend_unavailable");
            System.out.printf("%d full listings of %d tables at -Xmx64m: %d refused with 429 on the way%n", CLIENTS,
                    TABLES, refused.get());
        } finally {
            clients.shutdownNow();
            api.destroyForcibly();
            api.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Lists every table in one page, retrying after each 429 as told; the tables listed. */
    private static int listAll(HttpClient http, int port, AtomicInteger refused) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tables?limit=10000"))
                .timeout(Duration.ofMinutes(2)).build();
        for (int attempt = 0; attempt < 2_000; attempt++) {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() == 429) {
                    refused.incrementAndGet();
                    assertThat(response.headers().firstValue("Retry-After")).contains("1");
                    assertThat(JSON.readTree(body).get("error").asText()).isEqualTo("too_many_listings");
                    Thread.sleep(50 + (long) (Math.random() * 200));
                    continue;
                }
                assertThat(response.statusCode()).as("status").isEqualTo(200);
                assertThat(response.headers().firstValue("Snowpack-Has-More")).contains("false");
                JsonNode tables = JSON.readTree(body);
                return tables.size();
            }
        }
        throw new AssertionError("never got a listing slot");
    }

    /** 5,000 cached tables with health of about the size health sync writes (~500 bytes a row). */
    private static void fill(DataSource postgres, String schema) throws Exception {
        try (Connection connection = postgres.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + schema + ".table_cache"
                     + " (database, table_name, data_files, small_files, average_file_size_bytes,"
                     + " position_delete_files, equality_delete_files, total_records, total_bytes, snapshots,"
                     + " oldest_snapshot_at, data_manifests, delete_manifests, metadata_file_size_bytes,"
                     + " format_version, properties, property_problems, reasons, maintenance_enabled,"
                     + " needs_maintenance, synced_at)"
                     + " SELECT 'db_' || (i % 10), 'table_' || i, 847, 800, 3145728, 12, 3, 1234567, 2664000000,"
                     + " 138, now() - interval '9 days', 40, 4, 2500000, 2, ?, '[]', ?, true, true, now()"
                     + " FROM generate_series(1, ?) AS i")) {
            insert.setString(1, "{\"snowpack.maintenance_enabled\":\"true\",\"snowpack.min_input_files\":\"5\","
                    + "\"write.target-file-size-bytes\":\"536870912\",\"history.expire.max-snapshot-age-ms\":"
                    + "\"432000000\",\"write.metadata.previous-versions-max\":\"100\"}");
            insert.setString(2, "[\"rewrite_data_files: 800 small files (threshold 5)\","
                    + "\"rewrite_position_delete_files: 12 position delete files (threshold 5)\","
                    + "\"expire_snapshots: oldest snapshot is 9 days old (max 5)\"]");
            insert.setInt(3, TABLES);
            insert.executeUpdate();
        }
    }

    private static int awaitPort(Process api, Path log) throws Exception {
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
        throw new IOException("the api process did not start listening:\n" + Files.readString(log));
    }
}
