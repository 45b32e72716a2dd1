package io.snowpack.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.TableId;
import io.snowpack.core.model.TableQuery;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableCache;
import io.snowpack.testkit.SettableClock;
import io.snowpack.testkit.TestData;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code GET /tables} in process: streamed pages, the listing bound, and JVM errors while listing. */
class TableListingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SnowpackConfig ONE_LISTING = SnowpackConfig.builder().healthSyncInterval(Duration.ZERO)
            .maxConcurrentListings(1).build();

    private final SettableClock clock = new SettableClock();
    private final SnowpackStore memory = InMemoryStore.create(clock);
    /** Every page limit the API asked the table cache for. */
    private final List<Integer> listLimits = new ArrayList<>();
    /** Thrown by the next table-cache call, when set. */
    private final AtomicReference<Throwable> fault = new AtomicReference<>();

    @Test
    void aListingBeyondTheBoundIsRefusedWith429UntilASlotIsFree() throws Exception {
        tables(3);
        try (SnowpackApi api = SnowpackApi.builder().store(memory).config(ONE_LISTING).build()) {
            ApiResponse held = api.handle(ApiRequest.of("GET", "/tables"));
            assertThat(held.status()).isEqualTo(200);
            assertThat(held.streamed()).isTrue();

            try (ApiResponse refused = api.handle(ApiRequest.of("GET", "/tables?database=demo"))) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.header("Retry-After")).isEqualTo("1");
                JsonNode error = JSON.readTree(refused.body());
                assertThat(error.get("error").asText()).isEqualTo("too_many_listings");
                assertThat(error.get("detail").asText()).contains("1 table listings", "api.max_concurrent_listings");
            }
            // Other endpoints are not listings.
            assertThat(api.handle(ApiRequest.of("GET", "/tables/demo/t_0/health/history")).status()).isEqualTo(200);

            held.close();
            ApiResponse next = api.handle(ApiRequest.of("GET", "/tables"));
            assertThat(JSON.readTree(next.bodyText())).hasSize(3);
            // Producing the body closed the response: the slot is free again.
            try (ApiResponse again = api.handle(ApiRequest.of("GET", "/tables"))) {
                assertThat(again.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aBigPageIsReadInChunksAndWrittenAsOneArray() throws Exception {
        List<TableId> all = tables(1_000);
        try (SnowpackApi api = SnowpackApi.builder().store(counting()).config(ONE_LISTING).build();
             ApiResponse page = api.handle(ApiRequest.of("GET", "/tables?limit=1000"))) {
            assertThat(page.header(TableListing.HAS_MORE)).isEqualTo("false");
            assertThat(page.header("Link")).isNull();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            page.writeBody(out);

            assertThatThrownBy(() -> page.writeBody(new ByteArrayOutputStream()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already written");

            List<String> listed = new ArrayList<>();
            JSON.readTree(out.toByteArray()).forEach(t -> listed.add(t.get("table_name").asText()));
            assertThat(listed).containsExactlyElementsOf(all.stream().map(TableId::table).toList());
            assertThat(listLimits).isNotEmpty().allSatisfy(limit -> assertThat(limit).isLessThanOrEqualTo(
                    TableListing.CHUNK));
        }
    }

    @Test
    void aPageThatIsNotTheLastLinksToTheNextWithItsFilters() throws Exception {
        List<TableId> all = tables(450);
        try (SnowpackApi api = SnowpackApi.builder().store(memory).config(ONE_LISTING).build()) {
            List<String> listed = new ArrayList<>();
            String next = "/tables?database=demo&limit=200";
            int pages = 0;
            while (next != null) {
                try (ApiResponse page = api.handle(ApiRequest.of("GET", next))) {
                    JSON.readTree(page.body()).forEach(t -> listed.add(t.get("table_name").asText()));
                    next = page.header(TableListing.NEXT);
                    assertThat(page.header(TableListing.HAS_MORE)).isEqualTo(Boolean.toString(next != null));
                    pages++;
                }
            }
            assertThat(pages).isEqualTo(3);
            assertThat(listed).containsExactlyElementsOf(all.stream().map(TableId::table).toList());
        }
    }

    @Test
    void aJvmErrorWhileListingIsAnInternalErrorNotADatabaseOutageAndFreesTheSlot() throws Exception {
        tables(3);
        try (SnowpackApi api = SnowpackApi.builder().store(counting()).config(ONE_LISTING).build()) {
            fault.set(new OutOfMemoryError("Java heap space"));
            try (ApiResponse failed = api.handle(ApiRequest.of("GET", "/tables"))) {
                assertThat(failed.status()).isEqualTo(500);
                assertThat(JSON.readTree(failed.body()).get("error").asText()).isEqualTo("internal_error");
            }
            fault.set(new StackOverflowError());
            try (ApiResponse failed = api.handle(ApiRequest.of("GET", "/tables/demo/t_0/health/cached"))) {
                assertThat(failed.status()).isEqualTo(500);
                assertThat(failed.bodyText()).contains("internal_error").doesNotContain("backend_unavailable");
            }
            try (ApiResponse listing = api.handle(ApiRequest.of("GET", "/tables"))) {
                assertThat(listing.status()).isEqualTo(200);
            }
        }
    }

    private List<TableId> tables(int count) {
        List<TableId> all = IntStream.range(0, count).mapToObj(i -> TableId.of("demo", String.format("t_%d", i)))
                .sorted(TableId.KEY_ORDER).toList();
        all.forEach(table -> memory.tables().upsert(TestData.health(table, clock.now(), true)));
        return all;
    }

    /** The in-memory store, its table cache recording page limits and throwing {@link #fault} once when set. */
    private SnowpackStore counting() {
        TableCache backend = memory.tables();
        TableCache cache = (TableCache) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {TableCache.class}, (proxy, method, args) -> {
                    Throwable thrown = fault.getAndSet(null);
                    if (thrown != null) {
                        throw thrown;
                    }
                    if (method.getName().equals("list")) {
                        listLimits.add(((TableQuery) args[0]).limit());
                    }
                    try {
                        return method.invoke(backend, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (SnowpackStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SnowpackStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("tables")) {
                        return cache;
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
