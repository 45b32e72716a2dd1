package io.snowpack.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.http.HttpSettings;
import io.snowpack.http.SnowpackApi;
import io.snowpack.http.SnowpackHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code GET /tables} as a client lists a big cache: every page, following {@code Snowpack-Next}, parsed as a stream
 * (Jackson's streaming parser) and its tables counted, the way {@code curl} piped to {@code jq --stream} would consume it.
 */
final class TableListings {
    private static final JsonFactory JSON = new JsonFactory();

    private TableListings() {
    }

    /** What one full listing saw. */
    record Listing(int pages, long tables, long bytes) {
    }

    /**
     * Serves {@code store} on an ephemeral port and measures one full listing alone, then {@code concurrent} at
     * once; figures go to {@code figures} as {@code listing_*}.
     */
    static void measure(SnowpackStore store, int concurrent, HeapWatch heap, Map<String, Object> figures) {
        SnowpackConfig noSync = SnowpackConfig.builder().healthSyncInterval(Duration.ZERO).build();
        try (SnowpackApi api = SnowpackApi.builder().store(store).config(noSync).build()) {
            SnowpackHttpServer server = SnowpackHttpServer.start(api, HttpSettings.defaults().withPort(0));
            try {
                HttpClient client = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + server.port();
                listAll(client, base); // warm-up
                heap.reset();
                long start = System.nanoTime();
                Listing one = listAll(client, base);
                figures.put("listing_one_s", seconds(start));
                figures.put("listing_one_pages", one.pages());
                figures.put("listing_one_tables", one.tables());
                figures.put("listing_one_mib_sent", Math.round(one.bytes() / 1048576.0 * 10) / 10.0);
                figures.put("listing_one_live_heap_mib", Math.round(heap.maxLiveMib() * 100) / 100.0);

                heap.reset();
                ExecutorService clients = Executors.newFixedThreadPool(concurrent);
                start = System.nanoTime();
                List<Future<Listing>> all = new ArrayList<>();
                for (int i = 0; i < concurrent; i++) {
                    all.add(clients.submit(() -> listAll(client, base)));
                }
                long tables = 0;
                for (Future<Listing> listing : all) {
                    tables += listing.get().tables();
                }
                clients.shutdown();
                figures.put("listing_concurrent", concurrent);
                figures.put("listing_concurrent_s", seconds(start));
                figures.put("listing_concurrent_tables", tables);
                figures.put("listing_concurrent_live_heap_mib", Math.round(heap.maxLiveMib() * 100) / 100.0);
            } finally {
                server.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Listing the tables failed", e);
        }
    }

    /** Every page of {@code GET /tables}; a 429 (too many listings at once) is waited out as a client would. */
    private static Listing listAll(HttpClient client, String base) throws IOException, InterruptedException {
        String next = "/tables";
        int pages = 0;
        long tables = 0;
        long bytes = 0;
        while (next != null) {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(base + next)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 429) {
                response.body().close();
                Thread.sleep(100);
                continue;
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + next + " answered " + response.statusCode());
            }
            try (InputStream body = response.body(); JsonParser page = JSON.createParser(body)) {
                if (page.nextToken() != JsonToken.START_ARRAY) {
                    throw new IllegalStateException("GET " + next + " did not answer a JSON array");
                }
                while (page.nextToken() == JsonToken.START_OBJECT) { // one table per element, read as a stream
                    tables++;
                    page.skipChildren();
                }
                bytes += page.currentLocation().getByteOffset(); // through the closing bracket
            }
            pages++;
            next = response.headers().firstValue("Snowpack-Next").orElse(null);
        }
        return new Listing(pages, tables, bytes);
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    }
}
