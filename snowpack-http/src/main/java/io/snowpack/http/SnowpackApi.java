package io.snowpack.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.snowpack.core.BackendException;
import io.snowpack.core.InvalidParameterException;
import io.snowpack.core.JobNotFoundException;
import io.snowpack.core.MaintenanceConflictException;
import io.snowpack.core.SnowpackException;
import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.health.HealthSync;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.model.Text;
import io.snowpack.core.service.MaintenanceRequest;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.service.Submission;
import io.snowpack.core.spi.CacheStatus;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API of DESIGN §6 as a function from {@link ApiRequest} to {@link ApiResponse}, for any HTTP server.
 * Every answer is JSON (except {@code /metrics}, Prometheus text, and the web console's files under {@code /ui});
 * every error is {@code {"error": "<code>", "detail": "<what was wrong>"}} with no stack trace. Checks run in this
 * order, and a refused request writes nothing: bearer token (401, when configured; never for {@code /healthz},
 * {@code /readyz} and the console's files), route (404) and method (405), body size (413), content type (415),
 * names (422), query parameters (422), body (400), a free listing slot for {@code GET /tables} (429), then the
 * service's own rules (503 drain mode, 404, 409). Thread-safe.
 */
public final class SnowpackApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnowpackApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The web console's files, read from the jar once per class loader. */
    private static final ConsoleAssets CONSOLE = new ConsoleAssets();
    /** Jobs shown with a table on {@code GET /tables/{db}/{table}}. */
    static final int LAST_JOBS = 10;
    /** Orchestrator runs listed when no limit is given. */
    static final int DEFAULT_RUNS = 20;
    /** Health-history entries listed when no limit is given. */
    static final int DEFAULT_HISTORY = 100;
    /** Most health-history entries listed at once. */
    static final int MAX_HISTORY = 1000;

    private final MaintenanceService service;
    private final SnowpackStore store;
    private final TableSource tableSource;
    private final SnowpackConfig config;
    private final HttpSettings settings;
    private final Optional<PrometheusScrape> metrics;
    private final Readiness readiness;
    private final Router router;
    private final TableListing listing;
    private final Optional<HttpMetrics> httpMetrics;

    private SnowpackApi(Builder b) {
        store = Objects.requireNonNull(b.store, "store");
        config = b.config;
        service = b.service != null ? b.service : defaultService(b);
        tableSource = b.tableSource;
        settings = b.settings;
        metrics = b.meterRegistry == null ? Optional.empty() : PrometheusScrape.find(b.meterRegistry);
        httpMetrics = Optional.ofNullable(b.meterRegistry).map(HttpMetrics::new);
        readiness = new Readiness(store, config, b.readinessDetails);
        listing = new TableListing(store::tables, new ListingLimiter(config.maxConcurrentListings()), JSON);
        router = new Router()
                .add("GET", "/healthz", call -> json(200, Map.of("status", "ok")))
                .add("GET", "/readyz", call -> ready())
                .add("GET", "/tables", listing::answer, "database", "maintenance_enabled", "cursor", "limit", "offset")
                .add("GET", "/tables/cache-status", call -> cacheStatus())
                .add("GET", "/tables/{db}/{table}", this::table)
                .add("GET", "/tables/{db}/{table}/health", this::liveHealth)
                .add("GET", "/tables/{db}/{table}/health/cached", this::cachedHealth)
                .add("GET", "/tables/{db}/{table}/health/history", this::healthHistory, "limit")
                .add("GET", "/tables/{db}/{table}/maintenance-plan", this::plan)
                .add("POST", "/tables/{db}/{table}/maintenance", this::submit)
                .add("POST", "/maintenance/batch", this::submitBatch)
                .add("GET", "/jobs", this::listJobs, "status", "table", "limit")
                .add("GET", "/jobs/{id}", this::job)
                .add("POST", "/jobs/{id}/cancel", this::cancel)
                .add("GET", "/orchestrator/runs", this::runs, "limit")
                .add("GET", "/admin/drain", call -> drain())
                .add("PUT", "/admin/drain", this::setDrain)
                .add("GET", "/ui", CONSOLE::page)
                .add("GET", "/ui/{file}", CONSOLE::file);
        // Served only when the registry is (or holds) a Prometheus one: a host on another backend serves its own.
        metrics.ifPresent(scrape -> router.add("GET", "/metrics", call -> metrics(scrape)));
    }

    /**
     * The cache's status, its lag in backend time, which process holds the health-sync lead now, and whether a pass
     * is running (the pass marker, {@link HealthSync#PASS_KEY}).
     */
    private ApiResponse cacheStatus() {
        Instant now = store.now();
        CacheStatus status = store.tables().status();
        Optional<Lease> syncLead = store.leaders().current(HealthSync.LOCK_KEY)
                .filter(lease -> !lease.isExpiredAt(now));
        Optional<Lease> pass = store.leaders().current(HealthSync.PASS_KEY).filter(lease -> !lease.isExpiredAt(now));
        return json(200, Views.cacheStatus(status, now, syncLead, pass));
    }

    /** A builder; {@link Builder#store} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Answers one request. Never throws: failures become error responses (500 for bugs, logged with a reference). A
     * JVM error while answering ({@link OutOfMemoryError}, {@link StackOverflowError}) is a 500
     * {@code internal_error} too, never a 503 that blames the database. The caller must {@link ApiResponse#close()}
     * the response (a streamed listing holds a slot until then).
     */
    public ApiResponse handle(ApiRequest request) {
        long begin = System.nanoTime();
        ApiResponse response = answer(request);
        httpMetrics.ifPresent(m -> m.record(request.method(), router.template(request), response.status(),
                System.nanoTime() - begin));
        return response;
    }

    private ApiResponse answer(ApiRequest request) {
        try {
            authorize(request);
            Supplier<ApiResponse> handler = router.resolve(request);
            if (request.body().length > settings.maxBodyBytes()) {
                throw new HttpError(413, "payload_too_large", "The request body is larger than "
                        + settings.maxBodyBytes() + " bytes");
            }
            return handler.get();
        } catch (HttpError e) {
            Map<String, String> headers = new LinkedHashMap<>(e.headers());
            return error(e.status(), e.error(), e.getMessage(), headers);
        } catch (SnowpackException e) {
            if (e instanceof BackendException) {
                LOG.warn("{} {} failed: {}", request.method(), request.rawPath(), e.getMessage());
            }
            return error(e.code().httpStatus(), e.code().wireName(), e.getMessage(), new LinkedHashMap<>());
        } catch (RuntimeException | Error e) {
            String reference = UUID.randomUUID().toString();
            LOG.error("{} {} failed (reference {})", request.method(), request.rawPath(), reference, e);
            return error(500, "internal_error", "Internal error; the server log has the details under reference "
                    + reference, new LinkedHashMap<>());
        }
    }

    private void authorize(ApiRequest request) {
        if (settings.apiToken().isEmpty()) {
            return;
        }
        String path = request.rawPath();
        if (path.equals("/healthz") || path.equals("/readyz") || isConsole(path)) {
            return;
        }
        String expected = "Bearer " + settings.apiToken().get();
        String given = request.header("Authorization").orElse("");
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpError(401, "unauthorized", given.isEmpty() ? "This endpoint needs an Authorization: Bearer "
                    + "token" : "The bearer token is not valid", Map.of("WWW-Authenticate", "Bearer realm=\"snowpack\""));
        }
    }

    /**
     * Whether {@code path} is the web console's ({@code /ui}, {@code /ui/...}): static files without data, served
     * without a token (the page asks for it and sends it on every API call). Only console routes start with
     * {@code ui}, so no data route is reached this way, whatever follows.
     */
    private static boolean isConsole(String path) {
        return path.equals("/ui") || path.startsWith("/ui/");
    }

    private ApiResponse ready() {
        Readiness.Report report = readiness.check();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.ok() ? "ready" : "not_ready");
        body.put("checks", report.checks());
        return json(report.ok() ? 200 : 503, body);
    }

    private static MaintenanceService defaultService(Builder b) {
        MaintenanceService.Builder service = MaintenanceService.builder().store(b.store).config(b.config);
        if (b.meterRegistry != null) {
            service.meterRegistry(b.meterRegistry);
        }
        return service.build();
    }

    private static ApiResponse metrics(PrometheusScrape scrape) {
        return new ApiResponse(200, Map.of("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),
                scrape.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private ApiResponse table(Call call) {
        TableId table = tableOf(call);
        TableHealth health = store.tables().get(table).orElseThrow(() -> new TableNotFoundException(table.key()));
        List<Job> jobs = service.list(JobQuery.all().withTable(table).withLimit(LAST_JOBS));
        return json(200, Views.table(health, jobs));
    }

    private ApiResponse liveHealth(Call call) {
        TableId table = tableOf(call);
        if (tableSource == null) {
            throw new BackendException("Live health needs a table source, and this API has none; use "
                    + "/tables/" + table.database() + "/" + table.table() + "/health/cached", null);
        }
        TableHealth health;
        try {
            health = tableSource.health(table);
        } catch (SnowpackException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BackendException("Reading the health of " + table.key() + " from the catalog failed: "
                    + e.getMessage(), e);
        }
        store.tables().upsert(health);
        return json(200, Views.health(health));
    }

    private ApiResponse cachedHealth(Call call) {
        TableId table = tableOf(call);
        return json(200, Views.health(store.tables().get(table)
                .orElseThrow(() -> new TableNotFoundException(table.key()))));
    }

    /** The table's recorded health, newest first; 404 when the table is neither cached nor in the history. */
    private ApiResponse healthHistory(Call call) {
        TableId table = tableOf(call);
        int limit = call.intParam("limit", DEFAULT_HISTORY);
        if (limit < 1 || limit > MAX_HISTORY) {
            throw new InvalidParameterException("Invalid limit " + limit + ": expected a whole number from 1 to "
                    + MAX_HISTORY);
        }
        List<TableHealth> history = store.tables().history(table, limit);
        if (history.isEmpty() && store.tables().get(table).isEmpty()) {
            throw new TableNotFoundException(table.key());
        }
        return json(200, history.stream().map(Views::health).toList());
    }

    private ApiResponse plan(Call call) {
        return json(200, Views.plan(service.plan(tableOf(call))));
    }

    private ApiResponse submit(Call call) {
        requireJson(call.request());
        TableId table = tableOf(call);
        SubmitBody body = SubmitBody.parse(call.request().body());
        MaintenanceRequest request = new MaintenanceRequest(table, MaintenanceAction.parseAll(body.actions()),
                body.dryRun(), JobTrigger.MANUAL);
        Job job = service.submit(request);
        if (job.dryRun()) {
            return json(200, Views.job(job));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", "/jobs/" + job.jobId().value());
        headers.put("Retry-After", Long.toString(config.retryAfter().toSeconds()));
        return json(202, Views.job(job), headers);
    }

    /**
     * Many tables in one request (the orchestrator's bursts, an operator's fleet-wide run): 200 with one result per
     * request, in order, each carrying the status its own {@code POST …/maintenance} would have answered (202 queued,
     * 200 dry run, 404, 409, 400, 422). Drain mode (503) and a malformed or oversized envelope (400) refuse it whole.
     */
    private ApiResponse submitBatch(Call call) {
        requireJson(call.request());
        BatchBody body = BatchBody.parse(call.request().body());
        List<MaintenanceRequest> valid = body.items().stream().filter(item -> item.request() != null)
                .map(BatchBody.Item::request).toList();
        Iterator<Submission> outcomes = service.submitAll(valid).iterator();
        List<Map<String, Object>> results = new ArrayList<>(body.items().size());
        int accepted = 0;
        for (BatchBody.Item item : body.items()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("database", item.database());
            result.put("table_name", item.table());
            if (item.request() == null) {
                refusal(result, item.invalid());
            } else {
                Submission outcome = outcomes.next();
                if (outcome.isAccepted()) {
                    Job job = outcome.job().orElseThrow();
                    result.put("status", job.dryRun() ? 200 : 202);
                    result.put("job", Views.job(job));
                    accepted++;
                } else {
                    refusal(result, outcome.refusal().orElseThrow());
                }
            }
            results.add(result);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("submitted", accepted);
        view.put("refused", results.size() - accepted);
        view.put("results", results);
        return json(200, view);
    }

    private static void refusal(Map<String, Object> result, SnowpackException refusal) {
        result.put("status", refusal.code().httpStatus());
        result.put("error", refusal.code().wireName());
        result.put("message", refusal.getMessage());
        if (refusal instanceof MaintenanceConflictException conflict && conflict.holder() != null) {
            result.put("holder", conflict.holder());
        }
    }

    private ApiResponse job(Call call) {
        Job job = service.get(jobIdOf(call));
        Map<String, String> headers = new LinkedHashMap<>();
        if (!job.isTerminal()) {
            headers.put("Retry-After", Long.toString(config.retryAfter().toSeconds()));
        }
        return json(200, Views.job(job), headers);
    }

    private ApiResponse cancel(Call call) {
        return json(200, Views.job(service.cancel(jobIdOf(call))));
    }

    private ApiResponse listJobs(Call call) {
        JobQuery query = new JobQuery(call.param("status").map(JobStatus::parse),
                call.param("table").map(TableId::parse), call.intParam("limit", JobQuery.DEFAULT_LIMIT));
        return json(200, service.list(query).stream().map(Views::job).toList());
    }

    private ApiResponse runs(Call call) {
        return json(200, service.orchestratorRuns(call.intParam("limit", DEFAULT_RUNS)).stream()
                .map(Views::run).toList());
    }

    /** Drain mode as this process applies it, the shared setting behind it, and whether configuration forces it. */
    private ApiResponse drain() {
        return json(200, Views.drain(service.drainMode(), store.settings().drainMode(), config.drainMode()));
    }

    /** Sets the shared drain-mode switch (every replica and worker reads it), then answers like {@link #drain()}. */
    private ApiResponse setDrain(Call call) {
        requireJson(call.request());
        service.setDrainMode(DrainBody.parse(call.request().body()).enabled());
        return drain();
    }

    private static TableId tableOf(Call call) {
        return TableId.of(call.path(0), call.path(1));
    }

    /** A malformed id can name no job: 404 like an unknown one. */
    private static JobId jobIdOf(Call call) {
        String id = call.path(0);
        if (!JobId.isValid(id)) {
            throw new JobNotFoundException(Text.abbreviate(id));
        }
        return new JobId(id);
    }

    private static void requireJson(ApiRequest request) {
        String type = request.header("Content-Type").orElse("");
        String mediaType = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(ApiResponse.JSON)) {
            throw new HttpError(415, "unsupported_media_type", "Expected Content-Type: application/json, got "
                    + (type.isBlank() ? "none" : "'" + Text.abbreviate(type) + "'"));
        }
        Optional<String> charset = List.of(type.split(";")).stream().skip(1).map(String::trim)
                .filter(p -> p.toLowerCase(Locale.ROOT).startsWith("charset=")).findFirst();
        if (charset.isPresent() && !charset.get().substring(8).replace("\"", "").equalsIgnoreCase("utf-8")) {
            throw new HttpError(415, "unsupported_media_type", "Expected a UTF-8 JSON body, got "
                    + Text.abbreviate(charset.get()));
        }
    }

    private static ApiResponse json(int status, Object body) {
        return json(status, body, new LinkedHashMap<>());
    }

    private static ApiResponse json(int status, Object body, Map<String, String> headers) {
        headers.put("Content-Type", ApiResponse.JSON);
        try {
            return new ApiResponse(status, headers, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the response as JSON", e);
        }
    }

    private static ApiResponse error(int status, String error, String detail, Map<String, String> headers) {
        return json(status, Views.error(error, detail), headers);
    }

    /** Stops the readiness probe thread. */
    @Override
    public void close() {
        readiness.close();
    }

    /** Builds a {@link SnowpackApi}. Not thread-safe. */
    public static final class Builder {
        private SnowpackStore store;
        private MaintenanceService service;
        private TableSource tableSource;
        private SnowpackConfig config = SnowpackConfig.defaults();
        private HttpSettings settings = HttpSettings.defaults();
        private MeterRegistry meterRegistry;
        private final Map<String, Supplier<String>> readinessDetails = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Reports {@code detail} under {@code name} in {@code /readyz}'s checks without making the API unready: for a
         * dependency the API can do without, such as the catalog. {@code detail} must answer at once (from memory).
         */
        public Builder readinessDetail(String name, Supplier<String> detail) {
            readinessDetails.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(detail, "detail"));
            return this;
        }

        /** The backend: jobs, table cache, readiness. Required. */
        public Builder store(SnowpackStore value) { store = Objects.requireNonNull(value, "store"); return this; }

        /** The service behind the job endpoints; default: one built over the store and config. */
        public Builder service(MaintenanceService value) {
            service = Objects.requireNonNull(value, "service");
            return this;
        }

        /** Where live health comes from; without one, {@code /health} answers 503 and points to the cache. */
        public Builder tableSource(TableSource value) { tableSource = value; return this; }
        public Builder config(SnowpackConfig value) { config = Objects.requireNonNull(value, "config"); return this; }
        public Builder settings(HttpSettings value) { settings = Objects.requireNonNull(value, "settings"); return this; }

        /**
         * The registry Snowpack records into. When it is a Prometheus registry, or a composite holding one, the API
         * serves it at {@code /metrics}; otherwise {@code /metrics} is not a route (the host exposes its registry its
         * own way). Default: none, so no {@code /metrics}.
         */
        public Builder meterRegistry(MeterRegistry value) {
            meterRegistry = Objects.requireNonNull(value, "meterRegistry");
            return this;
        }

        public SnowpackApi build() {
            return new SnowpackApi(this);
        }
    }
}
