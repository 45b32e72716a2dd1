package io.snowpack.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnowpackConfigTest {

    @Test
    void defaultsAreTheDocumentedConstants() {
        SnowpackConfig config = SnowpackConfig.defaults();

        assertThat(config.staleClaimThreshold()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.sweeperInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.jobRetention()).isEqualTo(Duration.ofDays(90));
        assertThat(config.healthSyncInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.healthSyncConcurrency()).isEqualTo(10);
        assertThat(config.healthSyncDatabases()).isEmpty();
        assertThat(config.orchestratorInterval()).isEqualTo(Duration.ofHours(2));
        assertThat(config.orchestratorIncludeDatabases()).isEmpty();
        assertThat(config.maintenanceCadence()).isEqualTo(Duration.ofHours(6));
        assertThat(config.maintenanceMode()).isEqualTo(MaintenanceMode.OPT_IN);
        assertThat(config.lockTtl()).isEqualTo(SnowpackConfig.DEFAULT_LOCK_TTL);
        assertThat(config.heartbeatInterval()).isEqualTo(SnowpackConfig.DEFAULT_HEARTBEAT_INTERVAL);
        assertThat(config.leaderLeaseTtl()).isEqualTo(SnowpackConfig.DEFAULT_LEADER_LEASE_TTL);
        assertThat(config.retryBackoffBase()).isEqualTo(SnowpackConfig.DEFAULT_RETRY_BACKOFF_BASE);
        assertThat(config.retryBackoffCap()).isEqualTo(SnowpackConfig.DEFAULT_RETRY_BACKOFF_CAP);
        assertThat(config.retryJitter()).isEqualTo(SnowpackConfig.DEFAULT_RETRY_JITTER);
        assertThat(config.maxAttempts()).isEqualTo(SnowpackConfig.DEFAULT_MAX_ATTEMPTS);
        assertThat(config.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.drainMode()).isFalse();
        TablePropertyDefaults table = config.tableDefaults();
        assertThat(table.targetFileSizeBytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(table.minInputFiles()).isEqualTo(5);
        assertThat(table.deleteFileThreshold()).isEqualTo(5);
        assertThat(table.rewriteDataDeleteFileThreshold()).isEqualTo(2);
        assertThat(table.rewriteDataDeleteRatioThreshold()).isEqualTo(0.10);
        assertThat(table.partialProgressMaxCommits()).isEqualTo(10);
        assertThat(table.rewriteDataRewriteAll()).isFalse();
        assertThat(table.maxSnapshotAgeDays()).isEqualTo(5);
        assertThat(table.minSnapshotsToKeep()).isEqualTo(1);
        assertThat(table.orphanFileAgeDays()).isEqualTo(3);
        assertThat(SnowpackConfig.builder().build()).isEqualTo(config);
    }

    @Test
    void environmentVariablesOverrideDefaultsIncludingTheDocumentedAliases() {
        SnowpackConfig config = SnowpackConfig.fromEnvironment(Map.of(
                "SNOWPACK_HEALTH_SYNC_CONCURRENCY", "2",
                "SNOWPACK_HEALTH_SYNC_DATABASES", " demo, offer_service ,,",
                "SNOWPACK_ORCHESTRATOR_INCLUDE_DATABASES", "demo",
                "SNOWPACK_DRAIN_MODE", "TRUE",
                "SNOWPACK_SWEEPER_STALE_CLAIM_THRESHOLD", "PT45M",
                "SNOWPACK_WORKER_LOCK_TTL", "2h",
                "SNOWPACK_ORCHESTRATOR_MAINTENANCE_MODE", "opt_out",
                "SNOWPACK_DEFAULTS_ORPHAN_FILE_AGE_DAYS", "7",
                "SNOWPACK_HTTP_PORT", "8080",
                "PATH", "/usr/bin"));

        assertThat(config.healthSyncConcurrency()).isEqualTo(2);
        assertThat(config.healthSyncDatabases()).containsExactly("demo", "offer_service");
        assertThat(config.orchestratorIncludeDatabases()).containsExactly("demo");
        assertThat(config.drainMode()).isTrue();
        assertThat(config.staleClaimThreshold()).isEqualTo(Duration.ofMinutes(45));
        assertThat(config.lockTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(config.maintenanceMode()).isEqualTo(MaintenanceMode.OPT_OUT);
        assertThat(config.tableDefaults().orphanFileAgeDays()).isEqualTo(7);
        assertThat(SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_API_DRAIN_MODE", "true")).drainMode()).isTrue();
    }

    @Test
    void aBadEnvironmentValueNamesTheKeyAndTheValue() {
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_HEALTH_SYNC_CONCURRENCY", "ten")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value 'ten' for health_sync.concurrency: expected a whole number")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key())
                        .isEqualTo("health_sync.concurrency"));
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_DRAIN_MODE", "yes")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'yes'").hasMessageContaining("api.drain_mode").hasMessageContaining("true or false");
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_HEALTH_SYNC_DATABASES", "Bad-Db")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("'Bad-Db'");
    }

    @Test
    void propertiesAreStrictAboutUnknownKeys() {
        SnowpackConfig config = SnowpackConfig.fromProperties(Map.of(
                "health_sync.interval", "0", "snowpack.worker.max_attempts", "5"));
        assertThat(config.healthSyncInterval()).isZero();
        assertThat(config.maxAttempts()).isEqualTo(5);

        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of("health_sync.concurency", "3")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("Unknown configuration key 'health_sync.concurency'")
                .hasMessageContaining("health_sync.concurrency")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key())
                        .isEqualTo("health_sync.concurency"));
    }

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "30s,PT30S", "15m,PT15M", "2h,PT2H", "90d,PT2160H", "PT30M,PT30M", "0,PT0S"})
    void durationsAcceptUnitsAndIso8601(String raw, String expected) {
        assertThat(ConfigValues.parseDuration("k", raw)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"30", "30 minutes", "-5s", "1.5h", "PT", "''"})
    void malformedDurationsNameTheAcceptedFormats(String raw) {
        assertThatThrownBy(() -> ConfigValues.parseDuration("sweeper.interval", raw))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("sweeper.interval")
                .hasMessageContaining("15m");
    }

    @Test
    void theBuilderRejectsValuesOutOfRange() {
        assertRejected(SnowpackConfig.builder().healthSyncConcurrency(0), "health_sync.concurrency", "'0'");
        assertRejected(SnowpackConfig.builder().sweeperInterval(Duration.ZERO), "sweeper.interval", "'0'");
        assertRejected(SnowpackConfig.builder().healthSyncInterval(Duration.ofSeconds(-1)), "health_sync.interval",
                "-1");
        assertRejected(SnowpackConfig.builder().maxAttempts(0), "worker.max_attempts", "'0'");
        assertRejected(SnowpackConfig.builder().retryJitter(1.5), "worker.retry_jitter", "1.5");
        assertRejected(SnowpackConfig.builder().retryBackoffCap(Duration.ofSeconds(10)), "worker.retry_backoff_cap",
                "10s");
        assertRejected(SnowpackConfig.builder().lockTtl(Duration.ofMinutes(30)), "worker.lock_ttl",
                "sweeper.stale_claim_threshold");
        assertRejected(SnowpackConfig.builder().heartbeatInterval(Duration.ofHours(1)), "worker.heartbeat_interval",
                "sweeper.stale_claim_threshold");
        assertRejected(SnowpackConfig.builder().retryAfter(Duration.ofMillis(1500)), "api.retry_after", "whole seconds");
        assertRejected(SnowpackConfig.builder().orchestratorIncludeDatabases(List.of("ok", "../x")),
                "orchestrator.include_databases", "'../x'");
    }

    @Test
    void tablePropertyDefaultsRefuseAnOrphanAgeUnderADay() {
        assertThatThrownBy(() -> TablePropertyDefaults.builder().orphanFileAgeDays(0).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value '0' for defaults.orphan_file_age_days: expected a whole number >= 1");
        assertThatThrownBy(() -> TablePropertyDefaults.builder().rewriteDataDeleteRatioThreshold(0).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("defaults.rewrite_data_delete_ratio_threshold");
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_DEFAULTS_ORPHAN_FILE_AGE_DAYS", "0")))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void aDatabaseTheOrchestratorIncludesButHealthSyncSkipsIsAStartUpError() {
        assertThatThrownBy(() -> SnowpackConfig.builder()
                .healthSyncDatabases(List.of("demo"))
                .orchestratorIncludeDatabases(List.of("demo", "offer_service"))
                .build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("orchestrator.include_databases [demo, offer_service]")
                .hasMessageContaining("[offer_service]")
                .hasMessageContaining("health_sync.databases [demo]")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key())
                        .isEqualTo("orchestrator.include_databases"));
        assertThat(SnowpackConfig.builder().orchestratorIncludeDatabases(List.of("x")).build()
                .orchestratorIncludeDatabases()).as("empty health_sync.databases means all databases")
                .containsExactly("x");
    }

    @Test
    void toBuilderRoundTripsAndToStringListsEveryKey() {
        SnowpackConfig config = SnowpackConfig.builder()
                .healthSyncDatabases(Set.of("b", "a"))
                .maintenanceMode(MaintenanceMode.OPT_OUT)
                .tableDefaults(TablePropertyDefaults.builder().minInputFiles(9).build())
                .build();

        assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
        assertThat(config.toString())
                .contains("health_sync.databases=a,b")
                .contains("orchestrator.maintenance_mode=opt_out")
                .contains("defaults.min_input_files=9")
                .contains("sweeper.stale_claim_threshold=30m");
        for (Setting setting : Setting.values()) {
            assertThat(config.toString()).contains(setting.key() + "=");
        }
    }

    @Test
    void everySettingRoundTripsThroughItsOwnTextForm() {
        SnowpackConfig defaults = SnowpackConfig.defaults();
        for (Setting setting : Setting.values()) {
            String text = setting.read(defaults);
            if (!text.isEmpty()) {
                SnowpackConfig parsed = SnowpackConfig.fromProperties(Map.of(setting.key(), text));
                assertThat(parsed).as(setting.key()).isEqualTo(defaults);
            }
        }
    }

    @Test
    void describeSettingsIsAMarkdownTableOfEveryKey() {
        String table = SnowpackConfig.describeSettings();
        assertThat(table).startsWith("| key | environment variable | default | meaning |");
        assertThat(table.lines()).hasSize(Setting.values().length + 2);
        assertThat(table).contains("| `health_sync.concurrency` | `SNOWPACK_HEALTH_SYNC_CONCURRENCY` | `10` |");
        assertThat(table).contains("`SNOWPACK_API_DRAIN_MODE`, `SNOWPACK_DRAIN_MODE`");
    }

    private static void assertRejected(SnowpackConfig.Builder builder, String key, String valueFragment) {
        assertThatThrownBy(builder::build)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(valueFragment)
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo(key));
    }
}
