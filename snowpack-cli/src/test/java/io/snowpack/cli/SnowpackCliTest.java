package io.snowpack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.OrchestratorRun;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.worker.JobOutcome;
import io.snowpack.core.worker.Worker;
import io.snowpack.http.HttpSettings;
import io.snowpack.http.SnowpackApi;
import io.snowpack.http.SnowpackHttpServer;
import io.snowpack.testkit.ScriptedExecutor;
import io.snowpack.testkit.TestData;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every command of the CLI against a real API server over HTTP (the JDK server adapter on a random port, an
 * in-memory backend, a worker run by the test), asserting what each prints and the documented exit codes.
 */
class SnowpackCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableId OFFERS = TableId.parse("offer_service.offers");
    private static final TableId ORDERS = TableId.parse("offer_service.orders");
    private static final String TOKEN = "s3cret";
    private static final SnowpackConfig CONFIG = SnowpackConfig.builder()
            .orchestratorIncludeDatabases(List.of("offer_service")).build();

    private final ScriptedExecutor executor = new ScriptedExecutor();
    private SnowpackStore store;
    private SnowpackApi api;
    private SnowpackHttpServer server;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void startApi() {
        store = InMemoryStore.create();
        store.tables().upsert(TestData.health(OFFERS, store.now(), true));
        store.tables().upsert(TestData.health(ORDERS, store.now(), false));
        start(HttpSettings.defaults().withPort(0).withApiToken(TOKEN));
        env.put("SNOWPACK_URL", "http://127.0.0.1:" + server.port());
        env.put("SNOWPACK_API_TOKEN", TOKEN);
    }

    private void start(HttpSettings settings) {
        stopApi();
        MaintenanceService service = MaintenanceService.builder().store(store).config(CONFIG).executor(executor)
                .build();
        api = SnowpackApi.builder().store(store).service(service).config(CONFIG).settings(settings).build();
        server = SnowpackHttpServer.start(api, settings);
    }

    @AfterEach
    void stopApi() {
        if (server != null) {
            server.close();
            api.close();
        }
    }

    private CliRun cli(String... args) {
        return CliRun.of(env, args);
    }

    private static void assertOk(CliRun run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).as(run.toString()).isEmpty();
    }

    /** A failure: its exit code and one line on standard error, naming {@code detail}, without a stack trace. */
    private static void assertFails(CliRun run, int exitCode, String detail) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(exitCode);
        assertThat(run.err()).as(run.toString()).startsWith("snowpack: ").contains(detail)
                .doesNotContain("\tat ", "Exception");
        assertThat(run.err().strip().lines()).as(run.toString()).hasSize(1);
    }

    private static JsonNode json(CliRun run) throws Exception {
        assertOk(run);
        return JSON.readTree(run.out());
    }

    private String submitted(String table) throws Exception {
        return json(cli("submit", table, "--actions", "expire_snapshots", "-o", "json")).get("job_id").asText();
    }

    // ---- reading ----

    @Test
    void tablesFollowsTheCursorToListEveryTable() throws Exception {
        for (int i = 0; i < 7; i++) {
            store.tables().upsert(TestData.health(TableId.parse("sales.t_" + i), store.now(), i % 2 == 0));
        }

        JsonNode all = json(cli("tables", "--page-size", "2", "--output", "json"));
        assertThat(all).hasSize(9);
        assertThat(all).extracting(t -> t.get("table_name").asText()).contains("offers", "orders", "t_0", "t_6");

        CliRun table = cli("tables", "--page-size", "3");
        assertOk(table);
        assertThat(table.out().lines().findFirst()).hasValueSatisfying(h -> assertThat(h).startsWith("TABLE")
                .contains("NEEDS_MAINTENANCE", "SIZE"));
        assertThat(table.out().lines()).hasSize(10).anyMatch(l -> l.startsWith("sales.t_6 "));

        JsonNode filtered = json(cli("tables", "--database", "sales", "--maintenance-enabled", "true", "-o", "json"));
        assertThat(filtered).extracting(t -> t.get("table_name").asText()).containsExactly("t_0", "t_2", "t_4", "t_6");
    }

    @Test
    void healthShowsTheCachedHealthWithReasonsAndLastJobs() throws Exception {
        String id = submitted("offer_service.offers");

        CliRun health = cli("health", "offer_service.offers");
        assertOk(health);
        assertThat(health.out()).contains("needs_maintenance:", "small_files:", "reasons:", "last_jobs:", id);

        JsonNode json = json(cli("--output", "json", "health", "offer_service.offers"));
        assertThat(json.get("small_files").asLong()).isEqualTo(800);
        assertThat(json.get("last_jobs").get(0).get("job_id").asText()).isEqualTo(id);
    }

    @Test
    void planSaysWhatTheOrchestratorWouldDoAndWhy() throws Exception {
        CliRun offers = cli("plan", "offer_service.offers");
        assertOk(offers);
        assertThat(offers.out()).contains("would_submit:", "rewrite_data_files", "reasons:");

        JsonNode orders = json(cli("plan", "offer_service.orders", "-o", "json"));
        assertThat(orders.get("eligible").asBoolean()).isFalse();
        assertThat(orders.get("skipped_by")).extracting(JsonNode::asText).containsExactly("not_opted_in");
    }

    @Test
    void cacheStatusAndRuns() throws Exception {
        store.tables().markSynced();
        store.orchestratorRuns().record(new OrchestratorRun(0, "api-1", store.now(), store.now(), 3, 1, 1, 1, 0,
                Map.of("not_opted_in", 1), null));

        CliRun status = cli("cache-status");
        assertOk(status);
        assertThat(status.out()).contains("table_count:").contains("last_synced:");
        assertThat(json(cli("cache-status", "-o", "json")).get("table_count").asInt()).isEqualTo(2);

        CliRun runs = cli("runs");
        assertOk(runs);
        assertThat(runs.out()).contains("ASSESSED", "api-1", "not_opted_in=1");
        JsonNode json = json(cli("runs", "--limit", "5", "-o", "json"));
        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("tables_assessed").asInt()).isEqualTo(3);
    }

    // ---- jobs ----

    @Test
    void submitJobsJobAndCancel() throws Exception {
        CliRun submit = cli("submit", "offer_service.offers", "--actions", "expire_snapshots,rewrite_data_files");
        assertOk(submit);
        assertThat(submit.out()).contains("offer_service.offers: pending", "snowpack job ");
        String id = store.jobs().list(JobQuery.all()).get(0).jobId().value();
        assertThat(submit.out()).contains(id);

        CliRun job = cli("job", id);
        assertOk(job);
        assertThat(job.out()).contains("status:", "pending", "rewrite_data_files, expire_snapshots");
        assertThat(json(cli("job", id, "-o", "json")).get("status").asText()).isEqualTo("pending");

        CliRun jobs = cli("jobs", "--table", "offer_service.offers", "--status", "pending");
        assertOk(jobs);
        assertThat(jobs.out()).contains("JOB_ID", id, "pending");
        assertThat(json(cli("jobs", "--status", "completed", "-o", "json"))).isEmpty();

        CliRun cancel = cli("cancel", id);
        assertOk(cancel);
        assertThat(cancel.out()).contains(id, "cancelled");
        assertThat(json(cli("jobs", "--limit", "1", "-o", "json")).get(0).get("status").asText())
                .isEqualTo("cancelled");
    }

    @Test
    void aDryRunPrintsItsPreviewPerAction() throws Exception {
        CliRun dry = cli("submit", "offer_service.offers", "--actions", "rewrite_data_files,expire_snapshots",
                "--dry-run");
        assertOk(dry);
        assertThat(dry.out()).contains("completed (dry run)", "rewrite_data_files", "would rewrite_data_files");

        CliRun waited = cli("submit", "offer_service.offers", "--actions", "expire_snapshots", "--dry-run", "--wait",
                "-o", "json");
        assertThat(waited.exitCode()).as(waited.toString()).isZero();
        JsonNode json = JSON.readTree(waited.out());
        assertThat(json.get("dry_run").asBoolean()).isTrue();
        assertThat(json.get("status").asText()).isEqualTo("completed");
    }

    @Test
    void submitWaitShowsProgressAndExits0WhenTheJobCompletes() throws Exception {
        CliRun.Running waiting = CliRun.start(env, "submit", "offer_service.offers", "--actions",
                "rewrite_data_files,expire_snapshots", "--wait", "--interval", "20ms");
        runOneJob(waiting, JobOutcome.COMPLETED);

        CliRun run = waiting.result().get(60, TimeUnit.SECONDS);
        assertOk(run);
        assertThat(run.out()).contains(": pending", ": completed");
        assertThat(run.out().lines().filter(l -> l.matches("\\s+(rewrite_data_files|expire_snapshots)\\s+ok\\s.*")))
                .hasSize(2);
    }

    @Test
    void aFailedJobUnderWaitOrWatchExits1AndPrintsTheError() throws Exception {
        executor.failing(MaintenanceAction.EXPIRE_SNAPSHOTS);
        CliRun.Running waiting = CliRun.start(env, "submit", "offer_service.offers", "--actions", "expire_snapshots",
                "--wait", "--interval", "20ms", "-o", "json");
        runOneJob(waiting, JobOutcome.FAILED);

        CliRun run = waiting.result().get(60, TimeUnit.SECONDS);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.JOB_FAILED);
        JsonNode job = JSON.readTree(run.out());
        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(run.err()).as("progress goes to stderr in JSON mode").contains(": failed", "FAILED",
                "scripted failure");

        CliRun watch = cli("job", job.get("job_id").asText(), "--watch");
        assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(ExitCodes.JOB_FAILED);
        assertThat(watch.out()).contains(": failed");
    }

    @Test
    void jobWatchFollowsAPendingJobToItsEnd() throws Exception {
        String id = submitted("offer_service.offers");
        CliRun.Running watching = CliRun.start(env, "job", id, "--watch", "--interval", "20ms");
        runOneJob(watching, JobOutcome.COMPLETED);

        CliRun run = watching.result().get(60, TimeUnit.SECONDS);
        assertOk(run);
        assertThat(run.out()).contains(id + " on offer_service.offers: pending", ": completed", "expire_snapshots");
    }

    /** Runs the one pending job with a worker, once the command running in the background reported it pending. */
    private void runOneJob(CliRun.Running cli, JobOutcome expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!cli.printed().contains(": pending")) {
            assertThat(System.nanoTime()).as("the CLI reported the pending job: " + cli.printed())
                    .isLessThan(deadline);
            Thread.sleep(10);
        }
        Worker worker = Worker.builder().store(store).executor(executor).config(CONFIG).build();
        assertThat(worker.runOnce()).isEqualTo(expected);
    }

    // ---- drain mode ----

    @Test
    void drainOnOffAndStatus() throws Exception {
        CliRun status = cli("drain", "status");
        assertOk(status);
        assertThat(status.out()).contains("Drain mode is off");

        CliRun on = cli("drain", "on");
        assertOk(on);
        assertThat(on.out()).contains("Drain mode is on");
        assertThat(store.settings().drainMode()).isTrue();
        assertFails(cli("submit", "offer_service.offers", "--actions", "expire_snapshots"), ExitCodes.SERVER_ERROR,
                "HTTP 503 drain_mode");

        JsonNode off = json(cli("drain", "off", "-o", "json"));
        assertThat(off.get("enabled").asBoolean()).isFalse();
        assertThat(store.settings().drainMode()).isFalse();
        assertFails(cli("drain", "maybe"), ExitCodes.USAGE, "maybe");
    }

    // ---- the documented exit codes ----

    @Test
    void notFoundIs3() {
        assertFails(cli("health", "offer_service.missing"), ExitCodes.NOT_FOUND, "offer_service.missing");
        assertFails(cli("plan", "offer_service.missing"), ExitCodes.NOT_FOUND, "HTTP 404 table_not_found");
        assertFails(cli("submit", "offer_service.missing", "--actions", "expire_snapshots"), ExitCodes.NOT_FOUND,
                "offer_service.missing");
        assertFails(cli("job", "0123456789abcdef0123456789abcdef"), ExitCodes.NOT_FOUND, "job_not_found");
        assertFails(cli("cancel", "0123456789abcdef0123456789abcdef"), ExitCodes.NOT_FOUND, "job_not_found");
    }

    @Test
    void conflictIs4() throws Exception {
        String id = submitted("offer_service.offers");
        assertFails(cli("submit", "offer_service.offers", "--actions", "rewrite_data_files"), ExitCodes.CONFLICT,
                "Maintenance already in progress for offer_service.offers");
        assertOk(cli("cancel", id));
        assertFails(cli("cancel", id), ExitCodes.CONFLICT, id);
    }

    @Test
    void usageAndInvalidRequestsAre2() {
        assertFails(cli(), ExitCodes.USAGE, "subcommand");
        assertFails(cli("vacuum"), ExitCodes.USAGE, "vacuum");
        assertFails(cli("submit", "offer_service.offers"), ExitCodes.USAGE, "--actions");
        assertFails(cli("health", "nodot"), ExitCodes.USAGE, "'nodot' is not a table");
        assertFails(cli("job", "x", "--watch", "--interval", "soon"), ExitCodes.USAGE, "'soon'");
        assertFails(cli("tables", "--output", "yaml"), ExitCodes.USAGE, "yaml");
        assertFails(cli("submit", "offer_service.offers", "--actions", "vacuum"), ExitCodes.USAGE,
                "Unknown maintenance action 'vacuum'");
        assertFails(cli("health", "Bad-Db.offers"), ExitCodes.USAGE, "HTTP 422 invalid_table_name");
        assertFails(cli("jobs", "--status", "stuck"), ExitCodes.USAGE, "stuck");
        assertFails(cli("tables", "--url", "ftp://example"), ExitCodes.USAGE, "ftp://example");
        assertThat(store.jobs().list(JobQuery.all())).isEmpty();
    }

    @Test
    void helpPrintsUsageAndExits0() {
        CliRun help = cli("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("tables", "submit", "drain", "cache-status", "SNOWPACK_URL",
                "SNOWPACK_API_TOKEN", "Exit codes", "7 unauthorized");
        assertThat(cli("submit", "--help").out()).contains("--actions", "--dry-run", "--wait");
    }

    @Test
    void aServerErrorIs5() {
        // This API has no table source: live health is a 503 pointing to the cached health.
        assertFails(cli("health", "offer_service.offers", "--live"), ExitCodes.SERVER_ERROR, "HTTP 503");
    }

    @Test
    void aMissingOrWrongTokenIs7() {
        env.remove("SNOWPACK_API_TOKEN");
        assertFails(cli("tables"), ExitCodes.UNAUTHORIZED, "HTTP 401 unauthorized");
        env.put("SNOWPACK_API_TOKEN", "wrong");
        assertFails(cli("drain", "on"), ExitCodes.UNAUTHORIZED, "not valid");
        assertThat(store.settings().drainMode()).isFalse();
    }

    @Test
    void anUnreachableApiIs6WithOneClearLine() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CliRun run = cli("tables", "--url", "http://127.0.0.1:" + closed);
        assertFails(run, ExitCodes.UNREACHABLE, "Cannot reach the Snowpack API at http://127.0.0.1:" + closed);
        assertThat(run.err()).contains("connection refused");
    }

    @Test
    void theUrlComesFromTheOptionBeforeTheEnvironment() {
        env.put("SNOWPACK_URL", "http://127.0.0.1:1");
        assertOk(cli("--url", "http://127.0.0.1:" + server.port(), "cache-status"));
        assertOk(cli("cache-status", "--url", "http://127.0.0.1:" + server.port() + "/"));
    }
}
