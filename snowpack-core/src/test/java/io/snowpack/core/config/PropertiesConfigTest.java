package io.snowpack.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropertiesConfigTest {

    @Test
    void propertiesOverrideTheDefaults() {
        SnowpackConfig config = SnowpackConfig.fromProperties(Map.of(
                "health_sync.interval", "0",
                "worker.max_attempts", " 5 ",
                "orchestrator.maintenance_mode", "OPT_OUT",
                "defaults.rewrite_data_delete_ratio_threshold", "0.5"));

        assertThat(config.healthSyncInterval()).isZero();
        assertThat(config.maxAttempts()).isEqualTo(5);
        assertThat(config.maintenanceMode()).isEqualTo(MaintenanceMode.OPT_OUT);
        assertThat(config.tableDefaults().rewriteDataDeleteRatioThreshold()).isEqualTo(0.5);
        assertThat(config.sweeperInterval()).isEqualTo(SnowpackConfig.DEFAULT_SWEEPER_INTERVAL);
        assertThat(SnowpackConfig.fromProperties(Map.of())).isEqualTo(SnowpackConfig.defaults());
    }

    @Test
    void keysMayCarryTheSnowpackPrefix() {
        SnowpackConfig config = SnowpackConfig.fromProperties(Map.of("snowpack.worker.lock_ttl", "PT90M"));

        assertThat(config.lockTtl()).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void aKeySetTwiceIsAnError() {
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of(
                "worker.max_attempts", "5", "snowpack.worker.max_attempts", "6")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("worker.max_attempts is set twice, as '6' and as '5'")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key())
                        .isEqualTo("worker.max_attempts"));
    }

    @Test
    void anUnknownKeyNamesTheCloseKnownKeys() {
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of("health_sync.concurency", "3")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Unknown configuration key 'health_sync.concurency'; did you mean "
                        + "'health_sync.concurrency'?")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key())
                        .isEqualTo("health_sync.concurency"));
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of("SNOWPACK_WORKER_MAX_ATTEMPTS", "3")))
                .hasMessageEndingWith("did you mean 'worker.max_attempts'?");
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of("lock_ttl", "2h")))
                .hasMessageEndingWith("did you mean 'worker.lock_ttl'?");
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of("snowpack.sweeper.intervall", "1m")))
                .hasMessageEndingWith("did you mean 'sweeper.interval'?");
    }

    @Test
    void anUnknownKeyFarFromEveryKnownOneListsThemAll() {
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of("http.port", "8080")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("Unknown configuration key 'http.port'; known keys are: "
                        + "sweeper.stale_claim_threshold, sweeper.interval, ")
                .hasMessageEndingWith("defaults.orphan_file_age_days");
    }

    @Test
    void aBadValueNamesTheKeyAndTheValue() {
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of("api.retry_after", "1500ms")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value '1500ms' for api.retry_after: expected a whole number of seconds, "
                        + "at least 1s");
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of("worker.retry_jitter", "20%")))
                .hasMessage("Invalid value '20%' for worker.retry_jitter: expected a decimal number such as 0.25");
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of("worker.retry_jitter", "2")))
                .hasMessage("Invalid value '2' for worker.retry_jitter: expected a number from 0 to 1");
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(
                Map.of("defaults.rewrite_data_delete_ratio_threshold", "0")))
                .hasMessage("Invalid value '0' for defaults.rewrite_data_delete_ratio_threshold: expected a number "
                        + "greater than 0 and at most 1");
    }

    @Test
    void aMissingValueIsAnError() {
        Map<String, String> properties = new HashMap<>();
        properties.put("worker.max_attempts", null);

        assertThatThrownBy(() -> SnowpackConfig.fromProperties(properties))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Missing value for worker.max_attempts");
    }

    @Test
    void theFirstBadKeyInKeyOrderIsReported() {
        Map<String, String> properties = new HashMap<>();
        properties.put("worker.max_attempts", "many");
        properties.put("zzz.unknown", "1");
        properties.put("api.retry_after", "soon");

        assertThatThrownBy(() -> SnowpackConfig.fromProperties(properties))
                .hasMessageStartingWith("Invalid value 'soon' for api.retry_after")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo("api.retry_after"));
    }
}
