package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.health.HealthSync;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.OrchestratorRun;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import io.snowpack.core.worker.JobOutcome;
import io.snowpack.core.worker.Worker;
import io.snowpack.testkit.FakeTableSource;
import io.snowpack.testkit.LocalHttp;
import io.snowpack.testkit.ScriptedExecutor;
import io.snowpack.testkit.TestData;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST API over a real HTTP server and every backend: each row of DESIGN §6 and each curl example of seed 001
 * with its status, headers and JSON, and the request hardening (401, 404, 405, 413, 415, 400, 422) with nothing
 * written for a refused request.
 */
public abstract class ApiContract extends StoreContractSupport {
    private static final TableId OFFERS = TableId.parse("offer_service.offers");
    private static final TableId ORDERS = TableId.parse("offer_service.orders");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?\\+00:00");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SnowpackConfig CONFIG = SnowpackConfig.builder()
            .orchestratorIncludeDatabases(List.of("offer_service")).build();

    private FakeTableSource source;
    private MeterRegistry meterRegistry;
    private SnowpackConfig config = CONFIG;
    private MaintenanceService service;
    private ApiServer server;
    private LocalHttp http;

    /**
     * What a transport needs to serve the API under test: the backend, the service and table source behind the API,
     * the configuration, the registry the service records into, the bearer token (empty: none) and the largest
     * request body accepted.
     */
    public record ApiSetup(SnowpackStore store, MaintenanceService service, TableSource tableSource,
            SnowpackConfig config, MeterRegistry meterRegistry, Optional<String> apiToken, int maxBodyBytes) {
    }

    /** A running API: where it answers, and how to stop it. */
    public interface ApiServer extends AutoCloseable {
        /**
         * The base the seed paths ({@code /tables/...}, {@code /healthz}) are appended to, without a trailing slash;
         * its path (empty at the root, e.g. {@code /snowpack} on a host's server) prefixes {@code Location} headers.
         */
        URI baseUri();

        @Override
        void close();
    }

    /**
     * Starts the API over a real HTTP server for {@code setup}; the suite closes it. Called more than once per test
     * when a test needs other settings (a token).
     */
    protected abstract ApiServer startApi(ApiSetup setup);

    /** The registry the service records into; {@link #servesMetrics()} transports scrape it at {@code /metrics}. */
    protected abstract MeterRegistry newMeterRegistry();

    /** Whether this transport serves {@code /metrics} in the Prometheus text format (a host may serve it elsewhere). */
    protected boolean servesMetrics() {
        return true;
    }

    @BeforeEach
    void startServer() {
        store.tables().upsert(TestData.health(OFFERS, store.now(), true));
        store.tables().upsert(TestData.health(ORDERS, store.now(), false));
        source = new FakeTableSource(store::now).withTable(TestData.health(OFFERS, store.now(), true));
        meterRegistry = newMeterRegistry();
        service = MaintenanceService.builder().store(store).config(CONFIG).executor(new ScriptedExecutor())
                .meterRegistry(meterRegistry).build();
        start(Optional.empty(), 4096);
    }

    private void start(Optional<String> token, int maxBodyBytes) {
        if (server != null) {
            server.close();
        }
        server = startApi(new ApiSetup(store, service, source, config, meterRegistry, token, maxBodyBytes));
        http = new LocalHttp(server.baseUri());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    // ---- HTTP helpers ----

    private HttpResponse<String> send(String method, String path, String contentType, byte[] body,
            String... headers) throws IOException, InterruptedException {
        return http.send(method, path, contentType, body, headers);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, null, null, headers);
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return send("POST", path, "application/json", json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        return JSON.readTree(response.body());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** Asserts a JSON error with the status, the error code and a detail containing {@code detail}. */
    private static void assertError(HttpResponse<String> response, int status, String error, String detail)
            throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(fieldNames(body)).containsExactly("error", "detail");
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("detail").asText()).contains(detail).doesNotContain("\tat ", "Exception");
    }

    private int jobCount() {
        return store.jobs().list(JobQuery.all().withLimit(JobQuery.MAX_LIMIT)).size();
    }

    private String submitted(String table, String body) throws Exception {
        HttpResponse<String> response = post("/tables/offer_service/" + table + "/maintenance", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response).get("job_id").asText();
    }

    // ---- seed 001, curl by curl ----

    @Test
    void submitAnswers202WithLocationRetryAfterAndThePendingJob() throws Exception {
        HttpResponse<String> response = post("/tables/offer_service/offers/maintenance",
                "{\"actions\": [\"expire_snapshots\", \"rewrite_data_files\"]}");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode job = json(response);
        String id = job.get("job_id").asText();
        // A path on the server answering: under the API's base path when it is mounted below the root.
        assertThat(response.headers().firstValue("Location")).contains(server.baseUri().getPath() + "/jobs/" + id);
        assertThat(response.headers().firstValue("Retry-After")).contains("30");
        assertThat(fieldNames(job)).startsWith("job_id", "database", "table_name", "actions", "dry_run", "status",
                "submitted_at", "started_at", "completed_at", "results", "error");
        assertThat(job.get("database").asText()).isEqualTo("offer_service");
        assertThat(job.get("table_name").asText()).isEqualTo("offers");
        assertThat(job.get("actions")).extracting(JsonNode::asText)
                .containsExactly("rewrite_data_files", "expire_snapshots");
        assertThat(job.get("dry_run").asBoolean()).isFalse();
        assertThat(job.get("status").asText()).isEqualTo("pending");
        assertThat(job.get("submitted_at").asText()).matches(TIMESTAMP);
        assertThat(job.get("started_at").isNull()).isTrue();
        assertThat(job.get("completed_at").isNull()).isTrue();
        assertThat(job.get("results").isNull()).isTrue();
        assertThat(job.get("error").isNull()).isTrue();
        assertThat(job.get("triggered_by").asText()).isEqualTo("manual");
    }

    @Test
    void aBatchAnswersEachRequestWithTheStatusItsOwnSubmitWouldHave() throws Exception {
        String busy = submitted("orders", "{\"actions\": [\"expire_snapshots\"]}");
        int before = jobCount();

        HttpResponse<String> response = post("/maintenance/batch", """
                {"requests": [
                  {"database": "offer_service", "table": "offers", "actions": ["rewrite_data_files"]},
                  {"database": "offer_service", "table": "orders", "actions": ["expire_snapshots"]},
                  {"database": "offer_service", "table": "nowhere", "actions": ["expire_snapshots"]},
                  {"database": "offer_service", "table": "offers", "actions": ["expire_snapshots"], "dry_run": true},
                  {"database": "offer_service", "table": "offers", "actions": ["defragment"]},
                  {"database": "Bad Name", "table": "offers", "actions": ["expire_snapshots"]}
                ]}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(fieldNames(body)).containsExactly("submitted", "refused", "results");
        assertThat(body.get("submitted").asInt()).isEqualTo(2);
        assertThat(body.get("refused").asInt()).isEqualTo(4);
        JsonNode results = body.get("results");
        assertThat(results).extracting(r -> r.get("status").asInt()).containsExactly(202, 409, 404, 200, 400, 422);
        assertThat(results.get(0).get("job").get("status").asText()).isEqualTo("pending");
        assertThat(results.get(0).get("table_name").asText()).isEqualTo("offers");
        assertThat(results.get(1).get("error").asText()).isEqualTo("maintenance_conflict");
        assertThat(results.get(1).get("holder").asText()).isEqualTo(busy);
        assertThat(results.get(1).get("message").asText()).contains("offer_service.orders");
        assertThat(results.get(2).get("error").asText()).isEqualTo("table_not_found");
        assertThat(results.get(3).get("job").get("dry_run").asBoolean()).isTrue();
        assertThat(results.get(4).get("message").asText()).contains("defragment");
        assertThat(results.get(5).get("error").asText()).isEqualTo("invalid_table_name");
        assertThat(jobCount()).as("the queued job and the dry run").isEqualTo(before + 2);
    }

    @Test
    void aMalformedBatchIsRefusedWholeAndWritesNothing() throws Exception {
        int before = jobCount();
        assertError(post("/maintenance/batch", "{\"tables\": []}"), 400, "invalid_request", "requests");
        assertError(post("/maintenance/batch", "{\"requests\": {}}"), 400, "invalid_request", "array");
        assertError(post("/maintenance/batch", "[]"), 400, "invalid_request", "object");
        assertThat(jobCount()).isEqualTo(before);
        HttpResponse<String> empty = post("/maintenance/batch", "{\"requests\": []}");
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(json(empty).get("submitted").asInt()).isZero();
    }

    @Test
    void pollingShowsRetryAfterUntilTheJobEndsThenItsResults() throws Exception {
        String id = submitted("offers", "{\"actions\": [\"rewrite_data_files\", \"expire_snapshots\"]}");

        HttpResponse<String> pending = get("/jobs/" + id);
        assertThat(pending.statusCode()).isEqualTo(200);
        assertThat(pending.headers().firstValue("Retry-After")).contains("30");

        Worker worker = Worker.builder().store(store).executor(new ScriptedExecutor()).config(CONFIG).build();
        assertThat(worker.runOnce()).isEqualTo(JobOutcome.COMPLETED);

        HttpResponse<String> done = get("/jobs/" + id);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.headers().firstValue("Retry-After")).isEmpty();
        JsonNode job = json(done);
        assertThat(job.get("status").asText()).isEqualTo("completed");
        assertThat(job.get("completed_at").asText()).matches(TIMESTAMP);
        assertThat(job.get("results")).hasSize(2);
        JsonNode first = job.get("results").get(0);
        assertThat(fieldNames(first)).startsWith("action", "success", "message", "error", "elapsed_seconds");
        assertThat(first.get("action").asText()).isEqualTo("rewrite_data_files");
        assertThat(first.get("success").asBoolean()).isTrue();
        assertThat(first.get("error").isNull()).isTrue();
        assertThat(first.get("elapsed_seconds").isNumber()).isTrue();
    }

    @Test
    void cancelAnswers200ThenConflictForATerminalJobAnd404ForUnknownOnes() throws Exception {
        String id = submitted("offers", "{\"actions\": [\"expire_snapshots\"]}");

        HttpResponse<String> cancelled = send("POST", "/jobs/" + id + "/cancel", null, null);
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(json(cancelled).get("status").asText()).isEqualTo("cancelled");
        assertThat(store.locks().current(OFFERS.key())).as("the lock is released").isEmpty();

        assertError(send("POST", "/jobs/" + id + "/cancel", null, null), 409, "job_already_terminal", id);
        assertError(send("POST", "/jobs/0123456789abcdef0123456789abcdef/cancel", null, null), 404,
                "job_not_found", "0123456789abcdef0123456789abcdef");
        assertError(get("/jobs/not-a-job-id"), 404, "job_not_found", "not-a-job-id");
    }

    @Test
    void aDryRunCompletesAtOnceWithAPreviewPerActionAndTakesNoLock() throws Exception {
        HttpResponse<String> response = post("/tables/offer_service/offers/maintenance",
                "{\"actions\": [\"rewrite_data_files\", \"expire_snapshots\"], \"dry_run\": true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        JsonNode job = json(response);
        assertThat(job.get("status").asText()).isEqualTo("completed");
        assertThat(job.get("dry_run").asBoolean()).isTrue();
        assertThat(job.get("results")).extracting(r -> r.get("action").asText())
                .containsExactly("rewrite_data_files", "expire_snapshots");
        assertThat(store.locks().current(OFFERS.key())).isEmpty();
        submitted("offers", "{\"actions\": [\"expire_snapshots\"]}");
    }

    @Test
    void submitErrorsFollowTheDocumentedOrderAndWriteNothing() throws Exception {
        String first = submitted("offers", "{\"actions\": [\"expire_snapshots\"]}");
        int jobs = jobCount();

        assertError(post("/tables/offer_service/offers/maintenance", "{\"actions\": [\"rewrite_data_files\"]}"),
                409, "maintenance_conflict", "Maintenance already in progress for offer_service.offers");
        assertError(post("/tables/offer_service/missing/maintenance", "{\"actions\": [\"expire_snapshots\"]}"),
                404, "table_not_found", "offer_service.missing");
        assertError(post("/tables/Offer-Service/offers/maintenance", "{\"actions\": []}"), 422,
                "invalid_table_name", "Offer-Service");
        assertError(post("/tables/offer_service/orders/maintenance", "{\"actions\": []}"), 400, "invalid_request",
                "At least one action is required");
        assertError(post("/tables/offer_service/orders/maintenance", "{\"actions\": [\"vacuum\"]}"), 400,
                "invalid_request", "Unknown maintenance action 'vacuum'");
        assertError(post("/tables/offer_service/orders/maintenance", "{\"actions\": \"expire_snapshots\"}"), 400,
                "invalid_request", "\"actions\" must be an array");
        assertError(post("/tables/offer_service/orders/maintenance", "{\"actions\": [1]}"), 400, "invalid_request",
                "only strings");
        assertError(post("/tables/offer_service/orders/maintenance",
                "{\"actions\": [\"expire_snapshots\"], \"dry_run\": \"yes\"}"), 400, "invalid_request", "dry_run");
        assertError(post("/tables/offer_service/orders/maintenance",
                "{\"actions\": [\"expire_snapshots\"], \"priority\": 1}"), 400, "invalid_request", "priority");
        assertError(post("/tables/offer_service/orders/maintenance",
                "{\"actions\": [\"expire_snapshots\"], \"actions\": []}"), 400, "invalid_request", "Malformed JSON");
        assertError(post("/tables/offer_service/orders/maintenance", "{\"actions\": [\"expire"), 400,
                "invalid_request", "Malformed JSON");
        assertError(post("/tables/offer_service/orders/maintenance", null), 400, "invalid_request", "empty");

        service.setDrainMode(true);
        assertError(post("/tables/offer_service/orders/maintenance", "{\"actions\": [\"expire_snapshots\"]}"), 503,
                "drain_mode", "");
        assertThat(jobCount()).isEqualTo(jobs);
        assertThat(store.locks().current(OFFERS.key()).orElseThrow().holder()).isEqualTo(first);
    }

    // ---- hardening ----

    @Test
    void transportLevelRefusalsCarryAMessageAndWriteNothing() throws Exception {
        assertError(get("/nowhere"), 404, "not_found", "/nowhere");
        HttpResponse<String> wrongMethod = send("DELETE", "/jobs/0123456789abcdef0123456789abcdef", null, null);
        assertError(wrongMethod, 405, "method_not_allowed", "DELETE");
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET");
        assertError(send("POST", "/tables/offer_service/orders/maintenance", "text/plain",
                "{\"actions\": [\"expire_snapshots\"]}".getBytes(StandardCharsets.UTF_8)), 415,
                "unsupported_media_type", "text/plain");
        byte[] huge = ("{\"actions\": [" + "\"expire_snapshots\",".repeat(500) + "\"expire_snapshots\"]}")
                .getBytes(StandardCharsets.UTF_8);
        assertError(send("POST", "/tables/offer_service/orders/maintenance", "application/json", huge), 413,
                "payload_too_large", "4096 bytes");
        assertError(send("POST", "/tables/offer_service/orders/maintenance", "application/json",
                new byte[] {'{', '"', 'a', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}), 400, "invalid_request", "");
        assertError(get("/tables/offer_service/..%2F..%2Fetc"), 422, "invalid_table_name", "../../etc");
        assertThat(jobCount()).isZero();
    }

    @Test
    void aConfiguredTokenGuardsEveryEndpointButTheProbes() throws Exception {
        start(Optional.of("s3cret"), 4096);

        HttpResponse<String> anonymous = get("/tables/cache-status");
        assertError(anonymous, 401, "unauthorized", "Bearer");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> v.startsWith("Bearer"));
        assertError(get("/tables/cache-status", "Authorization", "Bearer wrong"), 401, "unauthorized", "not valid");
        assertThat(get("/tables/cache-status", "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isIn(200, 503);
        assertError(send("POST", "/tables/offer_service/orders/maintenance", "application/json",
                "{\"actions\": [\"expire_snapshots\"]}".getBytes(StandardCharsets.UTF_8)), 401, "unauthorized", "");
        assertThat(jobCount()).isZero();
    }

    // ---- drain mode over HTTP ----

    private HttpResponse<String> putDrain(String json, String... headers) throws Exception {
        return send("PUT", "/admin/drain", "application/json", json.getBytes(StandardCharsets.UTF_8), headers);
    }

    @Test
    void drainModeIsReadAndSwitchedOverHttpAndSharedThroughTheStore() throws Exception {
        JsonNode off = json(get("/admin/drain"));
        assertThat(fieldNames(off)).containsExactly("enabled", "shared", "forced_by_config");
        assertThat(off.get("enabled").asBoolean()).isFalse();

        HttpResponse<String> on = putDrain("{\"enabled\": true}");
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        assertThat(json(on).get("enabled").asBoolean()).isTrue();
        assertThat(json(on).get("shared").asBoolean()).isTrue();
        assertThat(store.settings().drainMode()).as("every process sharing the store sees it").isTrue();
        assertThat(json(get("/admin/drain")).get("enabled").asBoolean()).isTrue();
        assertError(post("/tables/offer_service/offers/maintenance", "{\"actions\": [\"expire_snapshots\"]}"),
                503, "drain_mode", "");

        store.settings().setDrainMode(false); // another replica turned it off
        assertThat(json(get("/admin/drain")).get("enabled").asBoolean()).isFalse();
        putDrain("{\"enabled\": true}");
        assertThat(json(putDrain("{\"enabled\": false}")).get("enabled").asBoolean()).isFalse();
        submitted("offers", "{\"actions\": [\"expire_snapshots\"]}");
    }

    @Test
    void aBadDrainBodyIsA400NamingTheValueAndChangesNothing() throws Exception {
        assertError(putDrain("{\"enabled\": \"yes\"}"), 400, "invalid_request", "\"yes\"");
        assertError(putDrain("{\"enabled\": 1}"), 400, "invalid_request", "true or false");
        assertError(putDrain("{\"on\": true}"), 400, "invalid_request", "\"on\"");
        assertError(putDrain("{}"), 400, "invalid_request", "\"enabled\" is required");
        assertError(putDrain("[true]"), 400, "invalid_request", "array");
        assertError(putDrain(""), 400, "invalid_request", "empty");
        assertError(send("PUT", "/admin/drain", "text/plain", "{\"enabled\": true}".getBytes(StandardCharsets.UTF_8)),
                415, "unsupported_media_type", "text/plain");
        assertError(send("POST", "/admin/drain", "application/json", "{\"enabled\": true}"
                .getBytes(StandardCharsets.UTF_8)), 405, "method_not_allowed", "POST");
        assertThat(store.settings().drainMode()).isFalse();
    }

    @Test
    void drainModeForcedByConfigurationStaysOnWhateverTheSharedSwitchSays() throws Exception {
        config = CONFIG.toBuilder().drainMode(true).build();
        service = MaintenanceService.builder().store(store).config(config).executor(new ScriptedExecutor())
                .meterRegistry(meterRegistry).build();
        start(Optional.empty(), 4096);

        JsonNode after = json(putDrain("{\"enabled\": false}"));

        assertThat(after.get("enabled").asBoolean()).isTrue();
        assertThat(after.get("shared").asBoolean()).isFalse();
        assertThat(after.get("forced_by_config").asBoolean()).isTrue();
    }

    @Test
    void theDrainSwitchNeedsTheTokenWhenOneIsSet() throws Exception {
        start(Optional.of("s3cret"), 4096);

        assertError(get("/admin/drain"), 401, "unauthorized", "Bearer");
        assertError(putDrain("{\"enabled\": true}"), 401, "unauthorized", "");
        assertThat(store.settings().drainMode()).isFalse();
        HttpResponse<String> allowed = putDrain("{\"enabled\": true}", "Authorization", "Bearer s3cret");
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        assertThat(store.settings().drainMode()).isTrue();
    }

    // ---- the other rows of DESIGN §6 ----

    @Test
    void tablesAreListedAndFilteredByDatabaseAndOptIn() throws Exception {
        store.tables().upsert(TestData.health(TableId.parse("sales.refunds"), store.now(), true));

        assertThat(json(get("/tables"))).extracting(t -> t.get("table_name").asText())
                .containsExactly("offers", "orders", "refunds");
        JsonNode optedIn = json(get("/tables?database=offer_service&maintenance_enabled=true"));
        assertThat(optedIn).extracting(t -> t.get("table_name").asText()).containsExactly("offers");
        assertThat(optedIn.get(0).get("synced_at").asText()).matches(TIMESTAMP);
        assertError(get("/tables?database=Bad-Name"), 422, "invalid_table_name", "Bad-Name");
        assertError(get("/tables?maintenance_enabled=maybe"), 422, "invalid_parameter", "maybe");
        assertError(get("/tables?databse=offer_service"), 422, "invalid_parameter", "databse");
        assertError(get("/tables?limit=0"), 422, "invalid_parameter", "limit");
    }

    @Test
    void aListingPagesByCursorFollowingTheNextLinkWithItsFilters() throws Exception {
        List<String> expected = new ArrayList<>(List.of("offer_service.offers", "offer_service.orders"));
        store.inTransaction(stores -> {
            for (int i = 0; i < 23; i++) {
                TableId table = TableId.of(i % 2 == 0 ? "sales" : "a_sales", "t_" + i);
                stores.tables().upsert(TestData.health(table, store.now(), i % 3 == 0));
                expected.add(table.key());
            }
            return null;
        });
        expected.sort(null);

        List<String> walked = new ArrayList<>();
        String next = "/tables?limit=4";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = get(next);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode tables = json(page);
            assertThat(tables.isArray()).isTrue();
            tables.forEach(t -> walked.add(t.get("database").asText() + "." + t.get("table_name").asText()));
            pages++;
            boolean more = Boolean.parseBoolean(page.headers().firstValue("Snowpack-Has-More").orElseThrow());
            next = more ? apiPath(page.headers().firstValue("Snowpack-Next").orElseThrow()) : null;
            if (more) {
                assertThat(tables).hasSize(4);
                assertThat(page.headers().firstValue("Link")).contains("<" + server.baseUri().getPath() + next
                        + ">; rel=\"next\"");
            } else {
                assertThat(page.headers().firstValue("Link")).isEmpty();
            }
        }
        assertThat(walked).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(7);

        HttpResponse<String> first = get("/tables?database=sales&maintenance_enabled=true&limit=1");
        String filtered = apiPath(first.headers().firstValue("Snowpack-Next").orElseThrow());
        assertThat(filtered).startsWith("/tables?database=sales&maintenance_enabled=true&limit=1&cursor=");
        assertThat(json(get(filtered))).extracting(t -> t.get("table_name").asText()).containsExactly("t_12");
        HttpResponse<String> whole = get("/tables?database=sales&limit=10000");
        assertThat(json(whole)).hasSize(12);
        assertThat(whole.headers().firstValue("Snowpack-Has-More")).contains("false");
    }

    @Test
    void aBadCursorIsA422() throws Exception {
        assertError(get("/tables?cursor=not-a-cursor"), 422, "invalid_parameter", "not-a-cursor");
        String cursor = apiPath(get("/tables?limit=1").headers().firstValue("Snowpack-Next").orElseThrow())
                .replaceAll(".*cursor=", "");
        assertError(get("/tables?offset=1&cursor=" + cursor), 422, "invalid_parameter", "offset");
        assertThat(json(get("/tables?cursor=" + cursor))).extracting(t -> t.get("table_name").asText())
                .containsExactly("orders");
    }

    @Test
    void everyListingFreesItsSlotOnceAnswered() throws Exception {
        config = CONFIG.toBuilder().maxConcurrentListings(1).build();
        start(Optional.empty(), 4096);

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> listing = get("/tables?limit=1");
            assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
            assertThat(json(listing)).hasSize(1);
        }
        assertError(get("/tables?limit=0"), 422, "invalid_parameter", "limit");
        assertThat(get("/tables").statusCode()).isEqualTo(200);
    }

    @Test
    void aTableHealthHistoryIsListedNewestFirst() throws Exception {
        advance(Duration.ofMinutes(15));
        TableHealth unchanged = store.tables().get(OFFERS).orElseThrow().toBuilder().syncedAt(store.now()).build();
        store.tables().upsert(unchanged);
        advance(Duration.ofMinutes(15));
        TableHealth changed = unchanged.toBuilder().dataFiles(52).smallFiles(0).syncedAt(store.now()).build();
        store.tables().upsert(changed);

        JsonNode history = json(get("/tables/offer_service/offers/health/history"));
        assertThat(history).extracting(h -> h.get("data_files").asLong()).containsExactly(52L, 847L);
        assertThat(history.get(0).get("synced_at").asText()).matches(TIMESTAMP);
        assertThat(json(get("/tables/offer_service/offers/health/history?limit=1")))
                .extracting(h -> h.get("data_files").asLong()).containsExactly(52L);
        assertError(get("/tables/offer_service/missing/health/history"), 404, "table_not_found", "missing");
        assertError(get("/tables/offer_service/offers/health/history?limit=0"), 422, "invalid_parameter", "limit");
        assertError(get("/tables/offer_service/offers/health/history?limit=1001"), 422, "invalid_parameter", "1001");
        assertError(get("/tables/Bad-Db/offers/health/history"), 422, "invalid_table_name", "Bad-Db");
    }

    /** A path the API answers, from one it sent: without the mount point a host's server puts in front. */
    private String apiPath(String sent) {
        String mount = server.baseUri().getPath();
        assertThat(sent).startsWith(mount + "/tables?");
        return sent.substring(mount.length());
    }

    @Test
    void aTableShowsItsHealthReasonsAndLastJobs() throws Exception {
        String id = submitted("offers", "{\"actions\": [\"expire_snapshots\"]}");

        JsonNode table = json(get("/tables/offer_service/offers"));

        assertThat(table.get("database").asText()).isEqualTo("offer_service");
        assertThat(table.get("needs_maintenance").asBoolean()).isTrue();
        assertThat(table.get("reasons")).isNotEmpty();
        assertThat(table.get("small_files").asLong()).isEqualTo(800);
        assertThat(table.get("property_problems")).isNotEmpty();
        assertThat(table.get("last_jobs")).extracting(j -> j.get("job_id").asText()).containsExactly(id);
        assertError(get("/tables/offer_service/missing"), 404, "table_not_found", "offer_service.missing");
        assertError(get("/tables/offer_service/bad%20name"), 422, "invalid_table_name", "bad name");
    }

    @Test
    void cacheStatusShowsLastSyncedTheTableCountTheLagAndTheSyncLeader() throws Exception {
        JsonNode never = json(get("/tables/cache-status"));
        assertThat(never.get("last_synced").isNull()).isTrue();
        assertThat(never.get("table_count").asLong()).isEqualTo(2);
        assertThat(never.get("lag_seconds").isNull()).isTrue();
        assertThat(never.get("sync_leader").isNull()).isTrue();
        assertThat(never.get("pass_running").asBoolean()).isFalse();
        assertThat(never.get("pass_started_at").isNull()).isTrue();

        store.tables().markSynced();
        advance(Duration.ofSeconds(42));
        store.leaders().tryAcquire(HealthSync.LOCK_KEY, "api-7", Duration.ofMinutes(1)).orElseThrow();
        store.leaders().tryAcquire(HealthSync.PASS_KEY, "api-7", Duration.ofMinutes(1)).orElseThrow();

        JsonNode synced = json(get("/tables/cache-status"));
        assertThat(fieldNames(synced)).containsExactly("last_synced", "table_count", "lag_seconds", "sync_leader",
                "sync_leader_since", "pass_running", "pass_started_at");
        assertThat(synced.get("last_synced").asText()).matches(TIMESTAMP);
        assertThat(synced.get("lag_seconds").asLong()).isEqualTo(42);
        assertThat(synced.get("sync_leader").asText()).isEqualTo("api-7");
        assertThat(synced.get("sync_leader_since").asText()).matches(TIMESTAMP);
        assertThat(synced.get("pass_running").asBoolean()).isTrue();
        assertThat(synced.get("pass_started_at").asText()).matches(TIMESTAMP);

        advance(Duration.ofMinutes(2)); // the lead lapsed: nobody syncs now
        JsonNode lapsed = json(get("/tables/cache-status"));
        assertThat(lapsed.get("sync_leader").isNull()).isTrue();
        assertThat(lapsed.get("pass_running").asBoolean()).as("a replica that died mid-pass").isFalse();
        assertThat(lapsed.get("lag_seconds").asLong()).isEqualTo(162);
    }

    @Test
    void liveHealthIsComputedAndStoredAndCachedHealthIsRead() throws Exception {
        advance(Duration.ofMinutes(5));

        JsonNode live = json(get("/tables/offer_service/offers/health"));
        JsonNode cached = json(get("/tables/offer_service/offers/health/cached"));

        assertThat(live.get("synced_at").asText()).isEqualTo(cached.get("synced_at").asText());
        assertThat(store.tables().get(OFFERS).map(TableHealth::syncedAt)).contains(store.now());
        assertError(get("/tables/offer_service/gone/health"), 404, "table_not_found", "offer_service.gone");
        assertError(get("/tables/offer_service/gone/health/cached"), 404, "table_not_found", "offer_service.gone");
        assertError(get("/tables/Bad-Db/x/health"), 422, "invalid_table_name", "Bad-Db");
    }

    @Test
    void theMaintenancePlanSaysWhatTheOrchestratorWouldDoAndWhy() throws Exception {
        JsonNode offers = json(get("/tables/offer_service/offers/maintenance-plan"));
        JsonNode orders = json(get("/tables/offer_service/orders/maintenance-plan"));

        assertThat(fieldNames(offers)).containsExactly("database", "table_name", "eligible", "would_submit",
                "skipped_by", "actions", "reasons", "executor", "executor_reason");
        assertThat(offers.get("eligible").asBoolean()).isTrue();
        assertThat(offers.get("would_submit").asBoolean()).isTrue();
        assertThat(offers.get("actions")).extracting(JsonNode::asText).contains("rewrite_data_files");
        assertThat(orders.get("eligible").asBoolean()).isFalse();
        assertThat(orders.get("skipped_by")).extracting(JsonNode::asText).containsExactly("not_opted_in");
        assertThat(orders.get("reasons")).extracting(JsonNode::asText)
                .contains("not opted in: snowpack.maintenance_enabled is not true (opt_in mode)");
        assertError(get("/tables/offer_service/missing/maintenance-plan"), 404, "table_not_found", "missing");
    }

    @Test
    void theMaintenancePlanNamesTheExecutorThatWouldMaintainTheTable() throws Exception {
        JsonNode withoutSpark = json(get("/tables/offer_service/offers/maintenance-plan"));
        assertThat(withoutSpark.get("executor").asText()).isEqualTo("local");
        assertThat(withoutSpark.get("executor_reason").asText())
                .isEqualTo("executor: local (executor.spark_enabled=false: this deployment has no Spark executor)");

        config = CONFIG.toBuilder().executorSparkEnabled(true).executorSparkThresholdBytes(2L << 30).build();
        service = MaintenanceService.builder().store(store).config(config).executor(new ScriptedExecutor())
                .meterRegistry(meterRegistry).build();
        store.tables().upsert(TestData.health(ORDERS, store.now(), false).toBuilder()
                .property("snowpack.executor", " LOCAL").build());
        start(Optional.empty(), 4096);
        JsonNode offers = json(get("/tables/offer_service/offers/maintenance-plan"));
        JsonNode orders = json(get("/tables/offer_service/orders/maintenance-plan"));

        assertThat(offers.get("executor").asText()).isEqualTo("spark");
        assertThat(offers.get("executor_reason").asText()).isEqualTo("executor: spark (auto: 2.4 GiB of data >= "
                + "executor.spark_threshold_bytes 2.0 GiB; executor.default=auto, snowpack.executor not set)");
        assertThat(offers.get("reasons")).extracting(JsonNode::asText)
                .endsWith(offers.get("executor_reason").asText());
        assertThat(orders.get("executor").asText()).isEqualTo("local");
        assertThat(orders.get("executor_reason").asText()).isEqualTo("executor: local (snowpack.executor=local)");
    }

    @Test
    void jobsAreListedNewestFirstWithFiltersAndALimit() throws Exception {
        String offers = submitted("offers", "{\"actions\": [\"expire_snapshots\"]}");
        advance(Duration.ofSeconds(1));
        String orders = submitted("orders", "{\"actions\": [\"expire_snapshots\"]}");
        send("POST", "/jobs/" + offers + "/cancel", null, null);

        assertThat(json(get("/jobs"))).extracting(j -> j.get("job_id").asText()).containsExactly(orders, offers);
        assertThat(json(get("/jobs?status=cancelled"))).extracting(j -> j.get("job_id").asText())
                .containsExactly(offers);
        assertThat(json(get("/jobs?table=offer_service.orders&limit=1"))).extracting(j -> j.get("job_id").asText())
                .containsExactly(orders);
        assertError(get("/jobs?limit=501"), 422, "invalid_parameter", "501");
        assertError(get("/jobs?status=stuck"), 422, "invalid_parameter", "stuck");
        assertError(get("/jobs?table=nodot"), 422, "invalid_table_name", "nodot");
    }

    @Test
    void orchestratorRunsAreListedNewestFirst() throws Exception {
        store.orchestratorRuns().record(new OrchestratorRun(0, "api-1", store.now(), store.now(), 3, 1, 1, 1, 0,
                Map.of("not_opted_in", 1), null));

        JsonNode runs = json(get("/orchestrator/runs"));

        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("tables_assessed").asInt()).isEqualTo(3);
        assertThat(runs.get(0).get("skipped_by_reason").get("not_opted_in").asInt()).isEqualTo(1);
        assertThat(runs.get(0).get("started_at").asText()).matches(TIMESTAMP);
        assertError(get("/orchestrator/runs?limit=0"), 422, "invalid_parameter", "limit");
    }

    @Test
    void readinessStaysReadyWhileAHealthSyncPassOverrunsAndReportsTheLagAsADetail() throws Exception {
        store.tables().markSynced();

        advance(CONFIG.healthSyncInterval().multipliedBy(2).plusSeconds(1)); // a pass far longer than the interval
        HttpResponse<String> lagging = get("/readyz");

        assertThat(lagging.statusCode()).isEqualTo(200);
        assertThat(json(lagging).get("checks").get("table_cache").asText()).startsWith("lagging: synced "
                + CONFIG.healthSyncInterval().multipliedBy(2).plusSeconds(1).toSeconds() + " s ago");
        assertThat(json(get("/tables/cache-status")).get("lag_seconds").asLong())
                .isEqualTo(CONFIG.healthSyncInterval().multipliedBy(2).plusSeconds(1).toSeconds());
    }

    // ---- the web console's files ----

    @Test
    void theWebConsoleIsServedAtUiWithItsTypesAndNoTokenAndNothingElseUnderIt() throws Exception {
        start(Optional.of("s3cret"), 4096);

        for (String path : List.of("/ui", "/ui/")) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("text/html"));
            assertThat(page.headers().firstValue("Cache-Control")).contains("no-cache");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                    .contains("script-src 'self'"));
            assertThat(page.body()).contains("<title>Snowpack console</title>").doesNotContain("%ASSET_BASE%");
            // The page's own links resolve, from /ui and from /ui/, to files with their types.
            java.util.regex.Matcher links = Pattern.compile("(?:src|href)=\"([a-z/]+\\.(js|css))\"")
                    .matcher(page.body());
            int found = 0;
            while (links.find()) {
                String file = URI.create(server.baseUri() + path).resolve(links.group(1)).getPath()
                        .substring(server.baseUri().getPath().length());
                HttpResponse<String> asset = get(file);
                assertThat(asset.statusCode()).as(file).isEqualTo(200);
                assertThat(asset.headers().firstValue("Content-Type")).as(file).hasValueSatisfying(v -> assertThat(v)
                        .startsWith(links.group(2).equals("js") ? "text/javascript" : "text/css"));
                found++;
            }
            assertThat(found).as("the page links its script and style sheet").isEqualTo(2);
        }
        HttpResponse<String> script = get("/ui/api.js");
        String etag = script.headers().firstValue("ETag").orElseThrow();
        assertThat(script.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(get("/ui/api.js", "If-None-Match", etag).statusCode()).as("unchanged: revalidated")
                .isEqualTo(304);

        assertError(get("/ui/x"), 404, "not_found", "x");
        assertError(get("/ui/console.js/x"), 404, "not_found", "");
        for (String escape : List.of("/ui/..%2F..%2Fpom.xml", "/ui/%2e%2e/tables/cache-status",
                "/ui/../tables/cache-status", "/ui/..%2Ftables%2Fcache-status")) {
            HttpResponse<String> refused = get(escape);
            assertThat(refused.statusCode()).as(escape).isIn(400, 401, 404);
            assertThat(refused.body()).as(escape).doesNotContain("table_count", "<project");
        }
        assertError(get("/tables/cache-status"), 401, "unauthorized", "Bearer");
    }

    @Test
    void probesAndMetrics() throws Exception {
        assertThat(json(get("/healthz")).get("status").asText()).isEqualTo("ok");
        HttpResponse<String> unsynced = get("/readyz");
        assertThat(unsynced.statusCode()).as("serving needs the backend, not a synced cache").isEqualTo(200);
        assertThat(json(unsynced).get("checks").get("table_cache").asText()).startsWith("not synced yet");

        store.tables().markSynced();
        HttpResponse<String> ready = get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("checks").get("database").asText()).isEqualTo("ok");
        assertThat(json(ready).get("checks").get("table_cache").asText()).startsWith("ok: synced 0 s ago");

        if (!servesMetrics()) {
            return;
        }
        submitted("offers", "{\"actions\": [\"expire_snapshots\"]}");
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> v.startsWith("text/plain"));
        assertThat(metrics.body()).contains("snowpack_jobs_submitted_total");
    }
}
