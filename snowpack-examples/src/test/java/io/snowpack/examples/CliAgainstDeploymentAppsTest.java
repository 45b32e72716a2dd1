package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpack.cli.ExitCodes;
import io.snowpack.cli.SnowpackCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's operator workflow through the CLI against the deployment apps: the {@code api} app on PostgreSQL with
 * a real Iceberg catalog (the demo warehouse), a run-once {@code worker} app, and the CLI talking to the API over
 * HTTP. Live health, a real dry-run preview, a real compaction followed with {@code --wait}, conflict, cancel and
 * drain mode, each with its documented exit code.
 */
class CliAgainstDeploymentAppsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path warehouse;

    /** One CLI run: exit code, standard output and error (readable while it runs). */
    private record Cli(CompletableFuture<Integer> exit, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        String printed() {
            return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        }

        int exitCode() throws Exception {
            return exit.get(120, TimeUnit.SECONDS);
        }

        String stdout() {
            return out.toString(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return printed();
        }
    }

    private static Cli start(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> SnowpackCli.run(args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env));
        return new Cli(exit, out, err);
    }

    private static Cli run(Map<String, String> env, String... args) throws Exception {
        Cli cli = start(env, args);
        cli.exitCode();
        return cli;
    }

    private static Cli ok(Map<String, String> env, String... args) throws Exception {
        Cli cli = run(env, args);
        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        return cli;
    }

    @Test
    void anOperatorWorksTheSeedWorkflowThroughTheCli() throws Exception {
        Map<String, String> env = DemoAppVariables.of("cli_" + ProcessHandle.current().pid(), warehouse, "t0ken");
        AppEnvironment api = new AppEnvironment(env);
        Catalog catalog = api.catalog();
        new DemoWarehouse(catalog).ensure();
        IcebergParts iceberg = IcebergParts.over(catalog, api.config());
        Map<String, String> workerEnv = new HashMap<>(env);
        workerEnv.put("SNOWPACK_WORKER_MODE", "once");
        AppEnvironment worker = new AppEnvironment(workerEnv);

        try (Running running = ApiApp.start(api, iceberg.executor(), iceberg.tableSource())) {
            int port = running.runtime().apiPort().orElseThrow();
            new AppApiClient(port, "t0ken").awaitTables(3);
            Map<String, String> cli = Map.of("SNOWPACK_URL", "http://127.0.0.1:" + port, "SNOWPACK_API_TOKEN", "t0ken");

            JsonNode tables = JSON.readTree(ok(cli, "tables", "-o", "json").stdout());
            assertThat(tables).extracting(t -> t.get("table_name").asText()).contains("events", "orders", "clicks");
            assertThat(ok(cli, "tables").stdout()).contains("demo.events");
            JsonNode live = JSON.readTree(ok(cli, "health", "demo.events", "--live", "-o", "json").stdout());
            assertThat(live.get("data_files").asLong()).isPositive();
            assertThat(ok(cli, "plan", "demo.events").stdout()).contains("eligible:", "reasons:");

            Cli dryRun = ok(cli, "submit", "demo.events", "--actions", "rewrite_data_files", "--dry-run");
            assertThat(dryRun.stdout()).contains("completed (dry run)", "rewrite_data_files");

            Cli waiting = start(cli, "submit", "demo.events", "--actions", "rewrite_data_files,expire_snapshots",
                    "--wait", "--interval", "100ms");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!waiting.printed().contains(": pending") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(waiting.printed()).as("the CLI reported the job it submitted").contains(": pending");
            assertFails(run(cli, "submit", "demo.events", "--actions", "rewrite_manifests"), ExitCodes.CONFLICT,
                    "Maintenance already in progress for demo.events");
            assertThat(WorkerApp.run(worker, iceberg.executor())).as("the worker ran the job").isZero();
            assertThat(waiting.exitCode()).as(waiting.toString()).isZero();
            assertThat(waiting.stdout()).contains(": completed", "Compacted", "expire_snapshots");

            JsonNode pending = JSON.readTree(ok(cli, "submit", "demo.orders", "--actions", "expire_snapshots", "-o",
                    "json").stdout());
            String id = pending.get("job_id").asText();
            assertThat(ok(cli, "jobs", "--table", "demo.orders", "--status", "pending").stdout()).contains(id);
            assertThat(ok(cli, "cancel", id).stdout()).contains(id, "cancelled");
            assertFails(run(cli, "cancel", id), ExitCodes.CONFLICT, id);
            assertFails(run(cli, "job", "0123456789abcdef0123456789abcdef"), ExitCodes.NOT_FOUND, "job_not_found");

            assertThat(ok(cli, "drain", "on").stdout()).contains("Drain mode is on");
            assertFails(run(cli, "submit", "demo.clicks", "--actions", "expire_snapshots"), ExitCodes.SERVER_ERROR,
                    "drain_mode");
            assertThat(ok(cli, "drain", "off").stdout()).contains("Drain mode is off");
            assertThat(ok(cli, "cache-status").stdout()).contains("table_count:");
            assertThat(run(cli, "runs").exitCode()).isZero();
        }
    }

    private static void assertFails(Cli cli, int exitCode, String detail) throws Exception {
        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(exitCode);
        assertThat(cli.err.toString(StandardCharsets.UTF_8)).startsWith("snowpack: ").contains(detail);
    }
}
