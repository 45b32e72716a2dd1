package io.snowpack.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.config.MaintenanceMode;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.runtime.Role;
import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.http.SnowpackApi;
import io.snowpack.spring.host.HostApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * A host that configures Snowpack with {@code properties-host.yaml} only (no Snowpack bean of its own): the
 * DataSource comes from {@code spring.datasource.url} (H2), the schema is migrated, the roles, the starter's
 * properties and Snowpack's own settings are read from the file, {@code SNOWPACK_*} environment variables (Snowpack's
 * documented names) override it; bad settings fail the start with a clear message.
 */
class PropertiesOnlyHostTest {

    /** The host, with {@code overrides} as command-line arguments (which win over the YAML file). */
    private static ConfigurableApplicationContext host(String... overrides) {
        return new SpringApplicationBuilder(HostApp.class).properties("spring.config.name=properties-host")
                .run(overrides);
    }

    @Test
    void theYamlAloneConfiguresStoreRolesAndSettings() throws Exception {
        try (ConfigurableApplicationContext context = host()) {
            SnowpackConfig config = context.getBean(SnowpackConfig.class);
            assertThat(config.healthSyncInterval()).isZero();
            assertThat(config.orchestratorInterval()).isEqualTo(Duration.ofMinutes(5));
            assertThat(config.maintenanceMode()).isEqualTo(MaintenanceMode.OPT_OUT);
            assertThat(config.maxAttempts()).isEqualTo(5);
            assertThat(config.healthSyncDatabases()).containsExactly("offer_service", "sales");
            assertThat(config.orchestratorIncludeDatabases()).containsExactly("sales");
            assertThat(config.leaderLeaseTtl()).isEqualTo(SnowpackConfig.DEFAULT_LEADER_LEASE_TTL);

            SnowpackProperties properties = context.getBean(SnowpackProperties.class);
            assertThat(properties.roles()).containsExactly(Role.SCHEDULER);
            assertThat(properties.store().schema()).isEqualTo("props_host");
            assertThat(properties.api().path()).isEqualTo("/snowpack");

            SnowpackStore store = context.getBean(SnowpackStore.class);
            assertThat(store.queue().readyDepth()).as("the schema was migrated").isZero();
            SnowpackRuntime runtime = context.getBean(SnowpackRuntime.class);
            assertThat(context.getBean(MaintenanceService.class)).isSameAs(runtime.service());
            assertThat(runtime.leader()).as("the scheduler role runs").isPresent();
            assertThat(context.getBeanNamesForType(SnowpackApi.class)).as("not a web application").isEmpty();

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!runtime.leader().orElseThrow().isLeader() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Health health = context.getBean("snowpackHealthIndicator", SnowpackHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("queue_ready_depth", 0L)
                    .containsEntry("this_process_leads", true)
                    .containsEntry("leader", runtime.leader().orElseThrow().holderId());
        }
    }

    @Test
    void theWorkerRoleWithoutAnExecutorFailsTheStartSayingWhatIsMissing() {
        assertThatThrownBy(() -> host("--snowpack.roles=scheduler,worker").close())
                .rootCause().hasMessageContaining("worker role").hasMessageContaining("MaintenanceExecutor bean");
    }

    @Test
    void aMistypedSettingFailsTheStartNamingTheKeyMeant() {
        assertThatThrownBy(() -> host("--snowpack.health_sync.intervall=1m").close())
                .rootCause().hasMessageContaining("snowpack.health_sync.intervall")
                .hasMessageContaining("did you mean 'health_sync.interval'");
    }

    @Test
    void anInvalidSettingValueFailsTheStartNamingTheKey() {
        assertThatThrownBy(() -> host("--snowpack.worker.max_attempts=0").close())
                .rootCause().hasMessageContaining("worker.max_attempts");
    }

    @Test
    void theApiIsNotARoleInASpringHost() {
        assertThatThrownBy(() -> host("--snowpack.roles=api").close())
                .rootCause().hasMessageContaining("snowpack.api.path");
    }

    @Test
    void environmentVariablesUseSnowpacksOwnNamesAndWinOverTheYaml() {
        Map<String, Object> variables = Map.of(
                "SNOWPACK_WORKER_MAX_ATTEMPTS", "7",
                "SNOWPACK_DRAIN_MODE", "true",
                "SNOWPACK_ROLES", "",
                "SNOWPACK_HTTP_PORT", "9999");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(HostApp.class)
                .properties("spring.config.name=properties-host")
                .initializers(ctx -> ctx.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)))
                .run()) {
            SnowpackConfig config = context.getBean(SnowpackConfig.class);
            assertThat(config.maxAttempts()).as("the variable wins over the YAML's 5").isEqualTo(7);
            assertThat(config.drainMode()).as("the documented alias").isTrue();
            assertThat(config.orchestratorInterval()).as("from the YAML").isEqualTo(Duration.ofMinutes(5));
            assertThat(context.getBean(SnowpackProperties.class).roles()).as("SNOWPACK_ROLES").isEmpty();
        }
    }

    @Test
    void noRolesMakesAnIdleRuntime() {
        try (ConfigurableApplicationContext context = host("--snowpack.roles=")) {
            assertThat(context.getBean(SnowpackProperties.class).roles()).isEmpty();
            assertThat(context.getBean(SnowpackRuntime.class).leader()).isEmpty();
            assertThat(List.of(context.getBeanNamesForType(MaintenanceService.class))).hasSize(1);
        }
    }
}
