package io.snowpack.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.leader.LeaderElection;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.testing.FakeTableSource;
import io.snowpack.core.testing.ScriptedExecutor;
import io.snowpack.core.testing.TestData;
import io.snowpack.http.HttpSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SnowpackRuntimeTest {
    private static final TableId EVENTS = TableId.parse("demo.events");
    private static final TableId CLICKS = TableId.parse("demo.clicks");

    private final SnowpackStore store = InMemoryStore.create();

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void everyRoleTogetherSyncsOrchestratesRunsAndServesUntilClosed() throws Exception {
        FakeTableSource source = new FakeTableSource(store::now)
                .withTable(TestData.health(EVENTS, store.now(), true))
                .withTable(TestData.health(CLICKS, store.now(), false));
        SnowpackConfig config = SnowpackConfig.builder().orchestratorIncludeDatabases(List.of("demo"))
                .orchestratorInterval(Duration.ofMillis(200)).healthSyncInterval(Duration.ofMillis(200)).build();
        SnowpackRuntime runtime = SnowpackRuntime.builder().store(store).executor(new ScriptedExecutor())
                .tableSource(source).config(config).http(HttpSettings.defaults().withPort(0)).build().start();
        try {
            Job orchestrated = awaitCompletedOrchestratorJob();
            assertThat(orchestrated.table()).isEqualTo(EVENTS);
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + runtime.apiPort().orElseThrow() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(runtime.service().orchestratorRuns(10)).isNotEmpty();
            assertThat(runtime.meterRegistry().scrape()).contains("snowpack_orchestrator_tick_duration");
        } finally {
            runtime.close();
        }
        assertThat(store.leaders().current(LeaderElection.SCHEDULER)).as("the lease is released").isEmpty();
        runtime.close();
    }

    private Job awaitCompletedOrchestratorJob() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<Job> done = store.jobs().list(JobQuery.all().withStatus(JobStatus.COMPLETED)).stream()
                    .filter(job -> job.trigger() == JobTrigger.ORCHESTRATOR).toList();
            if (!done.isEmpty()) {
                return done.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no orchestrator job completed; jobs: " + store.jobs().list(JobQuery.all()));
    }

    @Test
    void theWorkerRoleNeedsAnExecutor() {
        assertThatThrownBy(() -> SnowpackRuntime.builder().store(store).roles(Role.WORKER).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("executor");
    }
}
