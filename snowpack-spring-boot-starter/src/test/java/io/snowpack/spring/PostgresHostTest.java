package io.snowpack.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.snowpack.core.leader.LeaderElection;
import io.snowpack.core.model.TableId;
import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.http.ApiRequest;
import io.snowpack.http.ApiResponse;
import io.snowpack.http.SnowpackApi;
import io.snowpack.jdbc.TestDatabases;
import io.snowpack.testkit.LocalHttp;
import io.snowpack.testkit.ScriptedExecutor;
import io.snowpack.testkit.TestData;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A host over embedded PostgreSQL: starter web, Actuator, the host's {@code DataSource}, a {@code MaintenanceExecutor}
 * bean and {@code snowpack.roles=scheduler,worker}. The starter migrates a fresh schema, a job submitted through the
 * API on the host's Tomcat runs to completion on the runtime's worker, Actuator health shows the {@code snowpack}
 * indicator with its details, and Snowpack's meters are in the host's registry.
 */
class PostgresHostTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableId TABLE = TableId.parse("offer_service.offers");

    private static ConfigurableApplicationContext context;
    private static ScriptedExecutor executor;
    private static LocalHttp http;

    @BeforeAll
    static void startHost() {
        executor = new ScriptedExecutor();
        context = Hosts.start(Map.of(
                "snowpack.roles", "scheduler,worker",
                "snowpack.store.schema", TestDatabases.unusedSchemaName("spring_pg"),
                "snowpack.worker-slots", "2",
                "management.endpoints.web.exposure.include", "health",
                "management.endpoint.health.show-details", "always"), beans -> {
                    beans.getBeanFactory().registerSingleton("dataSource", TestDatabases.postgres());
                    beans.getBeanFactory().registerSingleton("executor", executor);
                });
        http = new LocalHttp(Hosts.base(context));
    }

    @AfterAll
    static void stopHost() {
        context.close();
    }

    @Test
    void aJobSubmittedThroughTheHostsServerRunsToCompletionOnTheWorker() throws Exception {
        SnowpackStore store = context.getBean(SnowpackStore.class);
        store.tables().upsert(TestData.health(TABLE, store.now(), true));

        HttpResponse<String> submitted = http.send("POST", "/snowpack/tables/offer_service/offers/maintenance",
                "application/json", "{\"actions\": [\"expire_snapshots\"]}".getBytes(StandardCharsets.UTF_8));

        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String id = JSON.readTree(submitted.body()).get("job_id").asText();
        assertThat(submitted.headers().firstValue("Location")).contains("/snowpack/jobs/" + id);
        JsonNode job = eventually(() -> json("/snowpack/jobs/" + id), j -> j.get("status").asText().equals("completed"));
        assertThat(job.get("results").get(0).get("success").asBoolean()).isTrue();
        assertThat(executor.calls()).contains("execute expire_snapshots offer_service.offers");

        MeterRegistry registry = context.getBean(MeterRegistry.class);
        assertThat(registry.find("snowpack.jobs.submitted").counters()).extracting(Counter::count)
                .anySatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(1.0));
        assertThat(registry.find("snowpack.jobs.finished").tag("outcome", "completed").counter()).isNotNull();
        assertThat(registry.find("snowpack.leader").gauge()).isNotNull();
    }

    @Test
    void actuatorHealthShowsTheSnowpackIndicatorWithQueueLeaderAndCatalog() throws Exception {
        String self = context.getBean(SnowpackRuntime.class).leader().map(LeaderElection::holderId).orElseThrow();

        JsonNode snowpack = eventually(() -> json("/actuator/health").get("components").get("snowpack"),
                s -> s.get("details").get("leader").asText().equals(self));

        assertThat(snowpack.get("status").asText()).isEqualTo("UP");
        JsonNode details = snowpack.get("details");
        assertThat(details.get("queue_ready_depth").isNumber()).isTrue();
        assertThat(details.get("this_process_leads").asBoolean()).isTrue();
        assertThat(details.get("leader_expires_at").asText()).isNotBlank();
        assertThat(details.get("catalog").asText()).isEqualTo("no table source: health sync is off");
    }

    @Test
    void theApiIsMountedBelowItsPathAndLeavesTheHostsRoutesAlone() throws Exception {
        HttpResponse<String> hello = http.send("GET", "/hello", null, null);
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hello from the host");

        assertThat(json("/snowpack/healthz").get("status").asText()).isEqualTo("ok");
        assertThat(http.send("GET", "/snowpack/metrics", null, null).statusCode())
                .as("the host's registry is the host's to expose").isEqualTo(404);
        assertThat(http.send("GET", "/healthz", null, null).statusCode()).isEqualTo(404);

        ApiResponse direct = context.getBean(SnowpackApi.class).handle(ApiRequest.of("HEAD", "/healthz"));
        HttpResponse<String> head = http.send("HEAD", "/snowpack/healthz", null, null);
        assertThat(head.statusCode()).as("the servlet answers HEAD as the API does").isEqualTo(direct.status());
        assertThat(head.body()).isEmpty();
    }

    private static JsonNode json(String path) throws Exception {
        HttpResponse<String> response = http.send("GET", path, null, null);
        return JSON.readTree(response.body());
    }

    private interface Read<T> {
        T read() throws Exception;
    }

    private static <T> T eventually(Read<T> read, java.util.function.Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        T last = read.read();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Still not there after 30 s: " + last);
            }
            Thread.sleep(100);
            last = read.read();
        }
        return last;
    }

}
