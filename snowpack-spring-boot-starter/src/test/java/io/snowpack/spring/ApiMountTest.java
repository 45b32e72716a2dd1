package io.snowpack.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.http.SnowpackApi;
import io.snowpack.testkit.LocalHttp;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** Where the starter mounts the API on the host's server, and that the host can move it or turn it off. */
class ApiMountTest {

    private static ConfigurableApplicationContext host(String name, String... properties) {
        Map<String, Object> all = new HashMap<>(Map.of(
                "spring.datasource.url", "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1",
                "spring.datasource.username", "sa",
                "snowpack.roles", ""));
        for (int i = 0; i < properties.length; i += 2) {
            all.put(properties[i], properties[i + 1]);
        }
        return Hosts.start(all, beans -> { });
    }

    @Test
    void theApiAnswersAtTheConfiguredPathOnly() throws Exception {
        try (ConfigurableApplicationContext context = host("mount_moved", "snowpack.api.path", "/ops/snowpack")) {
            LocalHttp http = new LocalHttp(Hosts.base(context));
            assertThat(http.send("GET", "/ops/snowpack/healthz", null, null).statusCode()).isEqualTo(200);
            assertThat(http.send("GET", "/ops/snowpack/tables/cache-status", null, null).body())
                    .contains("\"table_count\":0");
            assertThat(http.send("GET", "/snowpack/healthz", null, null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theApiCanBeTurnedOff() throws Exception {
        try (ConfigurableApplicationContext context = host("mount_off", "snowpack.api.enabled", "false")) {
            assertThat(context.getBeanNamesForType(SnowpackApi.class)).isEmpty();
            LocalHttp http = new LocalHttp(Hosts.base(context));
            assertThat(http.send("GET", "/snowpack/healthz", null, null).statusCode()).isEqualTo(404);
            assertThat(http.send("GET", "/hello", null, null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aPathWithATrailingSlashFailsTheStart() {
        assertThatThrownBy(() -> host("mount_bad", "snowpack.api.path", "/snowpack/").close())
                .rootCause().hasMessageContaining("snowpack.api.path");
    }
}
