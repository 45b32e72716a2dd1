package io.snowpack.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.SnowpackStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The maintenance plan carries the executor route, as a component and as its last reason, through the service. */
class PlanExecutorTest {
    private static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");
    private static final TableId EVENTS = TableId.of("sales", "events");
    private static final SnowpackConfig CONFIG = SnowpackConfig.builder()
            .orchestratorIncludeDatabases(List.of("sales"))
            .executorSparkEnabled(true).executorSparkThresholdBytes(1L << 30).build();
    private static final String SPARK_REASON = "executor: spark (auto: 2.0 GiB of data >= "
            + "executor.spark_threshold_bytes 1.0 GiB; executor.default=auto, snowpack.executor not set)";

    private static TableHealth.Builder events(Map<String, String> properties) {
        return TableHealth.builder(EVENTS).totalBytes(2L << 30).properties(properties).syncedAt(NOW);
    }

    @Test
    void anEligiblePlanEndsWithTheRouteItCarries() {
        MaintenancePlan plan = MaintenancePolicy.standard(CONFIG)
                .plan(events(Map.of(TableProperties.MAINTENANCE_ENABLED, "true")).build(), Optional.empty(), NOW);

        assertThat(plan.eligible()).isTrue();
        assertThat(plan.executor()).isEqualTo(new ExecutorRoute(ExecutorKind.SPARK, SPARK_REASON));
        assertThat(plan.reasons()).last().isEqualTo(SPARK_REASON);
    }

    @Test
    void aSkippedTableStillSaysWhereAJobSubmittedByHandWouldRun() {
        MaintenancePlan plan = MaintenancePolicy.standard(CONFIG)
                .plan(events(Map.of(TableProperties.EXECUTOR, "local")).build(), Optional.empty(), NOW);

        assertThat(plan.eligible()).isFalse();
        assertThat(plan.executor())
                .isEqualTo(new ExecutorRoute(ExecutorKind.LOCAL, "executor: local (snowpack.executor=local)"));
        assertThat(plan.reasons()).last().isEqualTo("executor: local (snowpack.executor=local)");
    }

    @Test
    void aBadValueIsAPropertyProblemAndTheRouteSaysWhatItUsedInstead() {
        MaintenancePlan plan = MaintenancePolicy.standard(CONFIG)
                .plan(events(Map.of(TableProperties.EXECUTOR, "turbo")).build(), Optional.empty(), NOW);

        assertThat(plan.reasons()).first()
                .isEqualTo("snowpack.executor='turbo' is not local, spark or auto; using auto instead");
        assertThat(plan.executor().reason()).isEqualTo("executor: spark (auto: 2.0 GiB of data >= "
                + "executor.spark_threshold_bytes 1.0 GiB; snowpack.executor='turbo' is not local, spark or auto; "
                + "using executor.default=auto instead)");
    }

    @Test
    void theServiceKeepsTheRouteWhenItAddsItsOwnReasons() {
        SnowpackStore store = InMemoryStore.create();
        store.tables().upsert(events(Map.of()).syncedAt(store.now()).build());
        MaintenanceService service = MaintenanceService.builder().store(store).config(CONFIG).build();

        MaintenancePlan plan = service.plan(EVENTS);

        assertThat(plan.reasons()).first().asString().startsWith("health as of ");
        assertThat(plan.executor()).isEqualTo(new ExecutorRoute(ExecutorKind.SPARK, SPARK_REASON));
        assertThat(plan.reasons()).contains(SPARK_REASON);
    }
}
