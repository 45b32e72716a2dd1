package io.snowpack.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.health.HealthSync;
import io.snowpack.core.leader.LeaderElection;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import io.snowpack.http.HttpSettings;
import io.snowpack.http.SnowpackHttp;
import io.snowpack.testkit.FakeTableSource;
import io.snowpack.testkit.FaultyStore;
import io.snowpack.testkit.ScriptedExecutor;
import io.snowpack.testkit.TestData;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SnowpackRuntime runtime = SnowpackRuntime.builder().store(store).executor(new ScriptedExecutor())
                .tableSource(source).config(config).meterRegistry(prometheus)
                .api(SnowpackHttp.server(HttpSettings.defaults().withPort(0))).build().start();
        try {
            Job orchestrated = awaitCompletedOrchestratorJob();
            assertThat(orchestrated.table()).isEqualTo(EVENTS);
            HttpResponse<String> ready = get(runtime, "/readyz");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(runtime.service().orchestratorRuns(10)).isNotEmpty();
            assertThat(get(runtime, "/metrics").body()).contains("snowpack_orchestrator_tick_duration",
                    "snowpack_health_sync_lag_seconds");
            assertThat(store.leaders().current(HealthSync.LOCK_KEY)).as("health sync leads on its own key")
                    .hasValueSatisfying(lease -> assertThat(lease.holder())
                            .isEqualTo(runtime.leader().orElseThrow().holderId()));
        } finally {
            runtime.close();
        }
        assertThat(store.leaders().current(LeaderElection.SCHEDULER)).as("the lease is released").isEmpty();
        assertThat(store.leaders().current(HealthSync.LOCK_KEY)).as("the health-sync lease is released").isEmpty();
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
    void leaderRenewalGoesOnWhileHealthSyncAndOrchestratorPassesHoldEverySchedulerThread() throws Exception {
        Duration ttl = Duration.ofMillis(600);
        FaultyStore faulty = new FaultyStore(store);
        faulty.hold("recent");
        CountDownLatch catalogAnswers = new CountDownLatch(1);
        SnowpackConfig config = SnowpackConfig.builder().leaderLeaseTtl(ttl).build();
        SnowpackRuntime runtime = SnowpackRuntime.builder().store(faulty).tableSource(new HangingSource(catalogAnswers))
                .config(config).roles(Role.SCHEDULER).build().start();
        try {
            faulty.awaitHeldClaim(); // the orchestrator's poll is stuck in the store
            Instant stuckAt = store.now();
            Instant renewedPast = stuckAt.plus(ttl.multipliedBy(3));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!store.leaders().current(LeaderElection.SCHEDULER)
                    .map(lease -> lease.expiresAt().isAfter(renewedPast)).orElse(false)) {
                assertThat(System.nanoTime()).as("the lease was renewed while both passes were stuck; lease: %s",
                        store.leaders().current(LeaderElection.SCHEDULER)).isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            catalogAnswers.countDown();
            faulty.releaseClaims();
            runtime.close();
        }
    }

    @Test
    void aLeaderWhoseStoreGoesDownStepsDownWithoutAskingTheStore() throws Exception {
        FaultyStore faulty = new FaultyStore(store);
        SnowpackConfig config = SnowpackConfig.builder().leaderLeaseTtl(Duration.ofMillis(600)).build();
        SnowpackRuntime runtime = SnowpackRuntime.builder().store(faulty).config(config).roles(Role.SCHEDULER)
                .build().start();
        try {
            LeaderElection leader = runtime.leader().orElseThrow();
            awaitLeadership(leader, true);
            faulty.goDown();
            awaitLeadership(leader, false);
            assertThat(leader.lease()).isEmpty();
        } finally {
            faulty.comeBack();
            runtime.close();
        }
    }

    private static void awaitLeadership(LeaderElection leader, boolean leads) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (leader.isLeader() != leads) {
            assertThat(System.nanoTime()).as("leader = %s in time", leads).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** A catalog whose listing hangs until released: a health-sync pass that takes as long as the test wants. */
    private record HangingSource(CountDownLatch answers) implements TableSource {
        @Override
        public List<String> databases() {
            try {
                answers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }

        @Override
        public List<TableId> tables(String database) {
            return List.of();
        }

        @Override
        public TableHealth health(TableId table) {
            throw new TableNotFoundException(table.key());
        }
    }

    @Test
    void withItsPortInUseTheApiFailsToStartBeforeTakingTheSchedulerLease() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            SnowpackRuntime runtime = SnowpackRuntime.builder().store(store)
                    .api(SnowpackHttp.server(HttpSettings.defaults().withPort(taken.getLocalPort())))
                    .roles(Role.API, Role.SCHEDULER)
                    .build();

            assertThatThrownBy(runtime::start).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));

            assertThat(runtime.leader()).as("the scheduler role never started").isEmpty();
            assertThat(store.leaders().current(LeaderElection.SCHEDULER)).isEmpty();
        }
    }

    @Test
    void theWorkerRoleNeedsAnExecutor() {
        assertThatThrownBy(() -> SnowpackRuntime.builder().store(store).roles(Role.WORKER).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("executor");
    }

    @Test
    void theApiRoleNeedsATransport() {
        assertThatThrownBy(() -> SnowpackRuntime.builder().store(store).roles(Role.API).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("snowpack-http");
    }

    @Test
    void withoutRolesTheRuntimeRunsWhatItWasGivenTheMeansFor() {
        SnowpackRuntime schedulerOnly = SnowpackRuntime.builder().store(store).build();
        SnowpackRuntime everything = SnowpackRuntime.builder().store(store).executor(new ScriptedExecutor())
                .api(SnowpackHttp.server(HttpSettings.defaults().withPort(0))).build().start();
        try {
            assertThat(schedulerOnly.apiPort()).isEmpty();
            assertThat(everything.apiPort()).isPresent();
            assertThat(everything.leader()).isPresent();
        } finally {
            everything.close();
        }
    }

    @Test
    void anyRegistryRecordsTheMetricsAndOnlyAPrometheusOneIsServedAtMetrics() throws Exception {
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        try (SnowpackRuntime runtime = SnowpackRuntime.builder().store(store).meterRegistry(simple)
                .api(SnowpackHttp.server(HttpSettings.defaults().withPort(0))).build().start()) {
            store.tables().upsert(TestData.health(EVENTS, store.now(), true));
            runtime.service().submit(EVENTS, List.of(MaintenanceAction.EXPIRE_SNAPSHOTS), false);
            assertThat(simple.find("snowpack.jobs.submitted").counter()).isNotNull();
            assertThat(simple.find("snowpack.queue.ready_depth").gauge()).as("the queue depth without a worker")
                    .isNotNull().satisfies(depth -> assertThat(depth.value()).isEqualTo(1.0));
            assertThat(runtime.meterRegistry()).isSameAs(simple);
            assertThat(get(runtime, "/metrics").statusCode()).isEqualTo(404);
        }

        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        composite.add(new SimpleMeterRegistry());
        composite.add(prometheus);
        try (SnowpackRuntime runtime = SnowpackRuntime.builder().store(store).meterRegistry(composite)
                .api(SnowpackHttp.server(HttpSettings.defaults().withPort(0))).build().start()) {
            store.tables().upsert(TestData.health(CLICKS, store.now(), true));
            runtime.service().submit(CLICKS, List.of(MaintenanceAction.EXPIRE_SNAPSHOTS), false);
            HttpResponse<String> metrics = get(runtime, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("snowpack_jobs_submitted_total");
        }
    }

    private static HttpResponse<String> get(SnowpackRuntime runtime, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + runtime.apiPort().orElseThrow() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
