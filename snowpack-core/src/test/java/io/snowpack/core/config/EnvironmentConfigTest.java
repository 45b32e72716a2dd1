package io.snowpack.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {

    @Test
    void theVariablesDesignSevenNamesWork() {
        SnowpackConfig config = SnowpackConfig.fromEnvironment(Map.of(
                "SNOWPACK_HEALTH_SYNC_CONCURRENCY", "2",
                "SNOWPACK_HEALTH_SYNC_DATABASES", " demo, offer_service ,,",
                "SNOWPACK_ORCHESTRATOR_INCLUDE_DATABASES", "demo",
                "SNOWPACK_DRAIN_MODE", "TRUE"));

        assertThat(config.healthSyncConcurrency()).isEqualTo(2);
        assertThat(config.healthSyncDatabases()).containsExactly("demo", "offer_service");
        assertThat(config.orchestratorIncludeDatabases()).containsExactly("demo");
        assertThat(config.drainMode()).isTrue();
    }

    @Test
    void everySettingIsReadFromItsDerivedVariable() {
        Map<String, String> environment = new HashMap<>();
        SettingSamples.nonDefaultText().forEach((setting, text) ->
                environment.put("SNOWPACK_" + setting.key().toUpperCase().replace('.', '_'), text));

        SnowpackConfig config = SnowpackConfig.fromEnvironment(environment);

        assertThat(config).isEqualTo(SettingSamples.nonDefaultConfig());
        assertThat(config.staleClaimThreshold()).isEqualTo(Duration.ofMinutes(45));
        assertThat(config.tableDefaults().orphanFileAgeDays()).isEqualTo(1);
    }

    @Test
    void drainModeAnswersToBothItsDerivedNameAndItsAlias() {
        assertThat(SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_API_DRAIN_MODE", "true")).drainMode()).isTrue();
        assertThat(SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_DRAIN_MODE", "true")).drainMode()).isTrue();
        assertThat(SnowpackConfig.fromEnvironment(Map.of(
                "SNOWPACK_API_DRAIN_MODE", "true", "SNOWPACK_DRAIN_MODE", "TRUE ")).drainMode()).isTrue();
    }

    @Test
    void aNameAndAnAliasThatDisagreeAreAnError() {
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(Map.of(
                "SNOWPACK_API_DRAIN_MODE", "true", "SNOWPACK_DRAIN_MODE", "false")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Conflicting values for api.drain_mode: SNOWPACK_API_DRAIN_MODE='true' but "
                        + "SNOWPACK_DRAIN_MODE='false'; set only one of them")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo("api.drain_mode"));
    }

    @Test
    void variablesThatNameNoSettingAreLeftToTheHost() {
        SnowpackConfig config = SnowpackConfig.fromEnvironment(Map.of(
                "SNOWPACK_HTTP_PORT", "8080",
                "SNOWPACK_CATALOG_URI", "thrift://metastore:9083",
                "SNOWPACK_", "",
                "snowpack_health_sync_concurrency", "not even a number",
                "HEALTH_SYNC_CONCURRENCY", "3",
                "PATH", "/usr/bin"));

        assertThat(config).isEqualTo(SnowpackConfig.defaults());
        assertThat(SnowpackConfig.fromEnvironment(Map.of())).isEqualTo(SnowpackConfig.defaults());
    }

    /** Operators set variables, so errors name the variable they set, the bad value and what was expected. */
    @Test
    void aBadValueNamesTheVariableAndTheValue() {
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_HEALTH_SYNC_CONCURRENCY", "ten")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("Invalid value 'ten' for SNOWPACK_HEALTH_SYNC_CONCURRENCY: expected a whole "
                        + "number")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key())
                        .isEqualTo("health_sync.concurrency"));
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_HEALTH_SYNC_CONCURRENCY", "0")))
                .hasMessage("Invalid value '0' for SNOWPACK_HEALTH_SYNC_CONCURRENCY: expected a whole number >= 1");
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_WORKER_MAX_ATTEMPTS", "0")))
                .hasMessage("Invalid value '0' for SNOWPACK_WORKER_MAX_ATTEMPTS: expected a whole number >= 1");
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_DRAIN_MODE", "yes")))
                .as("the alias the operator used").hasMessage("Invalid value 'yes' for SNOWPACK_DRAIN_MODE: expected "
                        + "true or false");
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_HEALTH_SYNC_DATABASES", "Demo")))
                .hasMessageStartingWith("Invalid value 'Demo' for SNOWPACK_HEALTH_SYNC_DATABASES: expected database "
                        + "names");
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_SWEEPER_INTERVAL", "30")))
                .hasMessageStartingWith("Invalid value '30' for SNOWPACK_SWEEPER_INTERVAL: expected a duration");
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(
                Map.of("SNOWPACK_ORCHESTRATOR_MAINTENANCE_MODE", "opt-in")))
                .hasMessage("Invalid value 'opt-in' for SNOWPACK_ORCHESTRATOR_MAINTENANCE_MODE: expected opt_in or "
                        + "opt_out");
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(
                Map.of("SNOWPACK_DEFAULTS_ORPHAN_FILE_AGE_DAYS", "0")))
                .hasMessage("Invalid value '0' for SNOWPACK_DEFAULTS_ORPHAN_FILE_AGE_DAYS: expected a whole number "
                        + ">= 1");
    }

    /** A contradiction between two settings names both variables, also the one left at its default. */
    @Test
    void aContradictionNamesBothVariables() {
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_WORKER_HEARTBEAT_INTERVAL", "1h")))
                .hasMessageStartingWith("Invalid value '1h' for SNOWPACK_WORKER_HEARTBEAT_INTERVAL: expected a "
                        + "duration shorter than SNOWPACK_SWEEPER_STALE_CLAIM_THRESHOLD (30m)")
                .hasMessageNotContaining("worker.heartbeat_interval").hasMessageNotContaining("sweeper.");
    }

    @Test
    void anEmptyVariableIsAValueNotAnAbsence() {
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_WORKER_MAX_ATTEMPTS", "")))
                .hasMessageStartingWith("Invalid value '' for SNOWPACK_WORKER_MAX_ATTEMPTS");
        assertThat(SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_HEALTH_SYNC_DATABASES", " ")).healthSyncDatabases())
                .as("an empty list means every database").isEmpty();
    }
}
