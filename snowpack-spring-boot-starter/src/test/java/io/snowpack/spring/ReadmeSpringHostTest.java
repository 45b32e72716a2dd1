package io.snowpack.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.spring.host.HostApp;
import io.snowpack.testkit.LocalHttp;
import io.snowpack.testkit.ScriptedExecutor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The README's Spring Boot host, run from the README itself: the {@code application.yaml} printed under "2. Spring
 * Boot" is cut out of README.md and is the host's only configuration, except the database URL (the README's
 * PostgreSQL host does not exist here, so H2 stands in) and the executor bean the worker role asks for.
 */
class ReadmeSpringHostTest {
    private static final Pattern SPRING_SECTION_YAML = Pattern.compile(
            "### 2\\. Spring Boot.*?```yaml\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theReadmesYamlAloneGivesTheRuntimeTheApiOnTheHostsServerAndTheHealthIndicator() throws Exception {
        Matcher yaml = SPRING_SECTION_YAML.matcher(Files.readString(Path.of("..", "README.md")));
        assertThat(yaml.find()).as("README.md has a yaml block under '2. Spring Boot'").isTrue();
        Path applicationYaml = Files.writeString(dir.resolve("application.yaml"), yaml.group(1));

        try (ConfigurableApplicationContext host = new SpringApplicationBuilder(HostApp.class)
                .properties(Map.of("server.port", "0", "server.address", "127.0.0.1", "spring.main.banner-mode", "off",
                        "management.endpoints.web.exposure.include", "health"))
                .initializers(context -> ((GenericApplicationContext) context).getBeanFactory()
                        .registerSingleton("executor", new ScriptedExecutor()))
                // Command-line arguments win over the file: only the database differs from the README.
                .run("--spring.config.location=" + applicationYaml.toUri(),
                        "--spring.datasource.url=jdbc:h2:mem:readme_host;DB_CLOSE_DELAY=-1")) {
            SnowpackConfig config = host.getBean(SnowpackConfig.class);
            assertThat(config.healthSyncInterval()).isEqualTo(Duration.ofMinutes(15));
            assertThat(config.orchestratorIncludeDatabases()).containsExactly("sales");
            SnowpackRuntime runtime = host.getBean(SnowpackRuntime.class);
            assertThat(runtime.leader()).as("the scheduler role runs").isPresent();
            assertThat(host.getBean(MaintenanceService.class)).isSameAs(runtime.service());

            LocalHttp http = new LocalHttp(Hosts.base(host));
            HttpResponse<String> status = http.send("GET", "/snowpack/tables/cache-status", null, null);
            assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
            JsonNode health = new ObjectMapper().readTree(http.send("GET", "/actuator/health", null, null).body());
            assertThat(health.at("/components/snowpack/status").asText()).isEqualTo("UP");
            assertThat(health.at("/components/snowpack/details/queue_ready_depth").asLong()).isZero();
        }
    }
}
