package io.snowpack.examples.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snowpack.examples.ApiApp;
import io.snowpack.examples.AppApiClient;
import io.snowpack.examples.AppEnvironment;
import io.snowpack.examples.DemoAppVariables;
import io.snowpack.examples.DemoWarehouse;
import io.snowpack.examples.IcebergParts;
import io.snowpack.examples.Running;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * The web console in headless Chromium against the {@code api} app on PostgreSQL with a real Iceberg catalog (the
 * demo warehouse) and a token, and no worker (a submitted job stays pending): the token prompt, the tables with the
 * numbers the API reports, filtering and sorting, a table's plan, a dry run completed from the page, a pending job
 * cancelled from the jobs page, drain mode switched on and off from the header (each checked through the API too),
 * and the orchestrator runs. Screenshots go to {@code target/ui-screenshots/}. Without the browser (and no root to
 * install it) the test is skipped, except on CI, where it fails.
 */
class ConsoleBrowserTest {
    private static final String TOKEN = "c0nsole";

    @TempDir
    Path warehouse;

    @Test
    void anOperatorWorksTheConsoleInARealBrowser() throws Exception {
        Optional<String> unavailable = HeadlessChromium.ensureInstalled();
        if (System.getenv("CI") != null) {
            assertThat(unavailable).as("CI installs the browser").isEmpty();
        }
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> "No browser for the console test: " + unavailable.get());

        AppEnvironment environment = environment();
        Catalog catalog = environment.catalog();
        new DemoWarehouse(catalog).ensure();
        IcebergParts iceberg = IcebergParts.over(catalog, environment.config());
        try (Running running = ApiApp.start(environment, iceberg.executor(), iceberg.tableSource());
             ConsoleDriver console = new ConsoleDriver(HeadlessChromium.start(1440, 900))) {
            int port = running.runtime().apiPort().orElseThrow();
            AppApiClient api = new AppApiClient(port, TOKEN);
            api.awaitTables(3);
            // The first orchestrator run has submitted what it will (the plans the console shows are settled).
            JsonNode firstRun = new FluentWait<>(api).withTimeout(Duration.ofSeconds(60))
                    .pollingEvery(Duration.ofMillis(200)).withMessage("an orchestrator run")
                    .until(client -> finishedRun(client).orElse(null));

            console.open("http://127.0.0.1:" + port + "/ui/");
            console.type(By.id("token-input"), TOKEN);
            console.click(By.id("token-save"));
            tablesShowWhatTheApiSays(console, api);
            filterAndSort(console);
            console.screenshot("01-tables");

            tablePageShowsThePlanAndRunsADryRun(console, api);
            aPendingJobIsCancelledFromTheJobsPage(console, api);
            drainModeIsSwitchedFromTheHeader(console, api);

            orchestratorRunsShowTheirSkipReasons(console, firstRun);
        }
    }

    private void tablesShowWhatTheApiSays(ConsoleDriver console, AppApiClient api) throws Exception {
        JsonNode tables = api.json("/tables");
        List<WebElement> rows = console.count(By.cssSelector("#tables tr[data-table]"), tables.size());
        assertThat(rows).hasSize(3);
        for (JsonNode table : tables) {
            String key = table.get("database").asText() + "." + table.get("table_name").asText();
            for (String field : List.of("data_files", "small_files", "snapshots", "total_records")) {
                String shown = console.text(By.cssSelector("tr[data-table='" + key + "'] td[data-col=" + field + "]"));
                assertThat(shown.replace(",", "")).as(key + " " + field).isEqualTo(table.get(field).asText());
            }
            String state = console.text(By.cssSelector("tr[data-table='" + key + "'] td[data-col=needs_maintenance]"));
            assertThat(state).isEqualTo(table.get("needs_maintenance").asBoolean() ? "needs maintenance" : "healthy");
            for (JsonNode reason : table.get("reasons")) {
                assertThat(withoutAges(console.text(By.cssSelector("tr[data-table='" + key
                        + "'] td[data-col=reasons]")))).contains(withoutAges(reason.asText()));
            }
        }
        assertThat(console.text(By.id("table-count"))).isEqualTo("3 of 3 tables");
        assertThat(console.text(By.id("cache-status"))).contains("3 tables cached");
    }

    private void filterAndSort(ConsoleDriver console) {
        console.type(By.id("table-filter"), "orders");
        console.count(By.cssSelector("#tables tr[data-table]"), 1);
        assertThat(console.attribute(By.cssSelector("#tables tr[data-table]"), "data-table")).isEqualTo("demo.orders");
        console.type(By.id("table-filter"), "");
        console.count(By.cssSelector("#tables tr[data-table]"), 3);

        console.click(By.cssSelector("#tables th[data-col=data_files]"));
        console.until("sorted by data files, ascending", d -> "ascending".equals(
                d.findElement(By.cssSelector("#tables th[data-col=data_files]")).getDomAttribute("data-sort")));
        List<Long> files = console.count(By.cssSelector("#tables td[data-col=data_files]"), 3).stream()
                .map(cell -> Long.parseLong(cell.getText().replace(",", ""))).toList();
        assertThat(files).isSorted();
        console.click(By.cssSelector("#tables th[data-col=data_files]"));
        console.until("sorted by data files, descending", d -> "descending".equals(
                d.findElement(By.cssSelector("#tables th[data-col=data_files]")).getDomAttribute("data-sort")));
    }

    /** {@code text} with ages ("9s old", "1h5m old", "0 min old") blanked: they change from one second to the next. */
    private static String withoutAges(String text) {
        return text.replaceAll("(\\d[\\dsmhd]*|\\d+ min) old", "_ old");
    }

    private void tablePageShowsThePlanAndRunsADryRun(ConsoleDriver console, AppApiClient api) throws Exception {
        console.click(By.cssSelector("tr[data-table='demo.events'] td[data-col=table] a"));
        JsonNode plan = api.json("/tables/demo/events/maintenance-plan");
        assertThat(console.attribute(By.id("plan"), "data-would-submit"))
                .isEqualTo(plan.get("would_submit").asText());
        String why = withoutAges(console.text(By.cssSelector("#plan [data-field=reasons]")));
        for (JsonNode reason : plan.get("reasons")) { // the page and the API read the plan a moment apart
            assertThat(why).contains(withoutAges(reason.asText()));
        }
        JsonNode health = api.json("/tables/demo/events");
        assertThat(console.text(By.cssSelector("#health [data-field=data_files]")).replace(",", ""))
                .isEqualTo(health.get("data_files").asText());
        console.shown(By.id("health-history"));
        console.screenshot("02-table");

        console.checkOnly(By.cssSelector("#dry-run input[name=action]"), "rewrite_data_files");
        console.click(By.id("dry-run-submit"));
        String result = console.text(By.cssSelector("#dry-run-result .job[data-status=completed]"));
        assertThat(result).contains("dry run", "rewrite_data_files");
        String jobId = console.attribute(By.cssSelector("#dry-run-result .job"), "data-job-id");
        JsonNode job = api.json("/jobs/" + jobId);
        assertThat(job.get("dry_run").asBoolean()).isTrue();
        assertThat(job.get("status").asText()).isEqualTo("completed");
        assertThat(result).contains(job.get("results").get(0).get("message").asText());
        console.screenshot("03-dry-run");
    }

    private void aPendingJobIsCancelledFromTheJobsPage(ConsoleDriver console, AppApiClient api) throws Exception {
        HttpResponse<String> submitted = api.send("POST", "/tables/demo/orders/maintenance",
                "{\"actions\": [\"expire_snapshots\"]}");
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String id = api.json("/jobs?table=demo.orders&status=pending").get(0).get("job_id").asText();

        console.click(By.cssSelector("a[data-nav=jobs]"));
        By row = By.cssSelector("#jobs tr[data-job-id='" + id + "']");
        console.shown(By.cssSelector("#jobs tr[data-job-id='" + id + "'] [data-status=pending]"));
        console.screenshot("04-jobs-pending");
        console.click(By.cssSelector("#jobs button.cancel-job[data-job-id='" + id + "']"));
        console.shown(By.cssSelector("#jobs tr[data-job-id='" + id + "'] [data-status=cancelled]"));
        assertThat(console.text(row)).doesNotContain("Cancel");
        assertThat(api.json("/jobs/" + id).get("status").asText()).isEqualTo("cancelled");
        console.screenshot("05-jobs-cancelled");
    }

    private void drainModeIsSwitchedFromTheHeader(ConsoleDriver console, AppApiClient api) throws Exception {
        By toggle = By.id("drain-toggle");
        console.until("drain mode off", d -> "false".equals(d.findElement(toggle).getDomAttribute("data-enabled")));
        console.click(toggle);
        console.until("drain mode on", d -> "true".equals(d.findElement(toggle).getDomAttribute("data-enabled")));
        assertThat(console.text(toggle)).isEqualTo("drain mode: on");
        assertThat(api.json("/admin/drain").get("enabled").asBoolean()).as("the API drains").isTrue();
        console.screenshot("06-drain-on");
        console.click(toggle);
        console.until("drain mode off", d -> "false".equals(d.findElement(toggle).getDomAttribute("data-enabled")));
        assertThat(api.json("/admin/drain").get("enabled").asBoolean()).isFalse();
    }

    private static Optional<JsonNode> finishedRun(AppApiClient api) {
        try {
            JsonNode runs = api.json("/orchestrator/runs");
            return runs.isEmpty() || runs.get(0).get("finished_at").isNull() ? Optional.empty()
                    : Optional.of(runs.get(0));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void orchestratorRunsShowTheirSkipReasons(ConsoleDriver console, JsonNode run) {
        console.click(By.cssSelector("a[data-nav=runs]"));
        By row = By.cssSelector("#runs tr[data-run-id='" + run.get("run_id").asText() + "']");
        console.shown(row);
        String reasons = console.text(By.cssSelector("#runs tr[data-run-id='" + run.get("run_id").asText()
                + "'] td[data-col=skipped_by_reason]"));
        assertThat(run.get("skipped_by_reason").size()).as("the run skipped tables").isPositive();
        run.get("skipped_by_reason").fields().forEachRemaining(reason ->
                assertThat(reasons).contains(reason.getKey() + ": " + reason.getValue().asText()));
        assertThat(console.text(By.cssSelector("#runs tr[data-run-id='" + run.get("run_id").asText()
                + "'] td[data-col=tables_assessed]"))).isEqualTo(run.get("tables_assessed").asText());
        console.screenshot("07-runs");
    }

    private AppEnvironment environment() {
        Map<String, String> env = DemoAppVariables.of("console_" + ProcessHandle.current().pid(), warehouse, TOKEN);
        // Orchestrator runs to show, with real skip reasons (demo.clicks is not opted in, demo.orders is healthy).
        env.put("SNOWPACK_ORCHESTRATOR_INCLUDE_DATABASES", "demo");
        env.put("SNOWPACK_ORCHESTRATOR_INTERVAL", "2s");
        return new AppEnvironment(env);
    }
}
