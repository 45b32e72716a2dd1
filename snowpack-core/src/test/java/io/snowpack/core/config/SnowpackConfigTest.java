package io.snowpack.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.spi.HealthHistoryRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnowpackConfigTest {

    @Test
    void constantsAreTheDocumentedDefaults() {
        assertThat(SnowpackConfig.DEFAULT_STALE_CLAIM_THRESHOLD).isEqualTo(Duration.ofMinutes(30));
        assertThat(SnowpackConfig.DEFAULT_SWEEPER_INTERVAL).isEqualTo(Duration.ofSeconds(30));
        assertThat(SnowpackConfig.DEFAULT_JOB_RETENTION).isEqualTo(Duration.ofDays(90));
        assertThat(SnowpackConfig.DEFAULT_HEALTH_SYNC_INTERVAL).isEqualTo(Duration.ofMinutes(15));
        assertThat(SnowpackConfig.DEFAULT_HEALTH_SYNC_CONCURRENCY).isEqualTo(10);
        assertThat(SnowpackConfig.DEFAULT_HEALTH_SYNC_DATABASES).isEmpty();
        assertThat(SnowpackConfig.DEFAULT_HEALTH_HISTORY_INTERVAL).isEqualTo(Duration.ofHours(24));
        assertThat(SnowpackConfig.DEFAULT_ORCHESTRATOR_INTERVAL).isEqualTo(Duration.ofHours(2));
        assertThat(SnowpackConfig.DEFAULT_ORCHESTRATOR_INCLUDE_DATABASES).isEmpty();
        assertThat(SnowpackConfig.DEFAULT_MAINTENANCE_CADENCE).isEqualTo(Duration.ofHours(6));
        assertThat(SnowpackConfig.DEFAULT_MAINTENANCE_MODE).isEqualTo(MaintenanceMode.OPT_IN);
        assertThat(SnowpackConfig.DEFAULT_LOCK_TTL).isEqualTo(Duration.ofMinutes(60));
        assertThat(SnowpackConfig.DEFAULT_HEARTBEAT_INTERVAL).isEqualTo(Duration.ofSeconds(30));
        assertThat(SnowpackConfig.DEFAULT_LEADER_LEASE_TTL).isEqualTo(Duration.ofSeconds(60));
        assertThat(SnowpackConfig.DEFAULT_RETRY_BACKOFF_BASE).isEqualTo(Duration.ofMinutes(1));
        assertThat(SnowpackConfig.DEFAULT_RETRY_BACKOFF_CAP).isEqualTo(Duration.ofHours(1));
        assertThat(SnowpackConfig.DEFAULT_RETRY_JITTER).isEqualTo(0.2);
        assertThat(SnowpackConfig.DEFAULT_MAX_ATTEMPTS).isEqualTo(3);
        assertThat(SnowpackConfig.DEFAULT_RETRY_AFTER).isEqualTo(Duration.ofSeconds(30));
        assertThat(SnowpackConfig.DEFAULT_DRAIN_MODE).isFalse();
        assertThat(SnowpackConfig.DEFAULT_MAX_CONCURRENT_LISTINGS).isEqualTo(4);
        assertThat(SnowpackConfig.DEFAULT_EXECUTOR_SPARK_ENABLED).isFalse();
        assertThat(SnowpackConfig.DEFAULT_EXECUTOR_MODE).isEqualTo(ExecutorMode.AUTO);
        assertThat(SnowpackConfig.DEFAULT_EXECUTOR_SPARK_THRESHOLD_BYTES).isEqualTo(1_099_511_627_776L);
    }

    @Test
    void defaultsHoldEveryConstant() {
        SnowpackConfig config = SnowpackConfig.defaults();

        assertThat(config.staleClaimThreshold()).isEqualTo(SnowpackConfig.DEFAULT_STALE_CLAIM_THRESHOLD);
        assertThat(config.sweeperInterval()).isEqualTo(SnowpackConfig.DEFAULT_SWEEPER_INTERVAL);
        assertThat(config.jobRetention()).isEqualTo(SnowpackConfig.DEFAULT_JOB_RETENTION);
        assertThat(config.healthSyncInterval()).isEqualTo(SnowpackConfig.DEFAULT_HEALTH_SYNC_INTERVAL);
        assertThat(config.healthSyncConcurrency()).isEqualTo(SnowpackConfig.DEFAULT_HEALTH_SYNC_CONCURRENCY);
        assertThat(config.healthSyncDatabases()).isEqualTo(SnowpackConfig.DEFAULT_HEALTH_SYNC_DATABASES);
        assertThat(config.healthHistoryInterval()).isEqualTo(SnowpackConfig.DEFAULT_HEALTH_HISTORY_INTERVAL);
        assertThat(config.healthHistoryRule()).isEqualTo(HealthHistoryRule.defaults());
        assertThat(config.orchestratorInterval()).isEqualTo(SnowpackConfig.DEFAULT_ORCHESTRATOR_INTERVAL);
        assertThat(config.orchestratorIncludeDatabases())
                .isEqualTo(SnowpackConfig.DEFAULT_ORCHESTRATOR_INCLUDE_DATABASES);
        assertThat(config.maintenanceCadence()).isEqualTo(SnowpackConfig.DEFAULT_MAINTENANCE_CADENCE);
        assertThat(config.maintenanceMode()).isEqualTo(SnowpackConfig.DEFAULT_MAINTENANCE_MODE);
        assertThat(config.lockTtl()).isEqualTo(SnowpackConfig.DEFAULT_LOCK_TTL);
        assertThat(config.heartbeatInterval()).isEqualTo(SnowpackConfig.DEFAULT_HEARTBEAT_INTERVAL);
        assertThat(config.leaderLeaseTtl()).isEqualTo(SnowpackConfig.DEFAULT_LEADER_LEASE_TTL);
        assertThat(config.retryBackoffBase()).isEqualTo(SnowpackConfig.DEFAULT_RETRY_BACKOFF_BASE);
        assertThat(config.retryBackoffCap()).isEqualTo(SnowpackConfig.DEFAULT_RETRY_BACKOFF_CAP);
        assertThat(config.retryJitter()).isEqualTo(SnowpackConfig.DEFAULT_RETRY_JITTER);
        assertThat(config.maxAttempts()).isEqualTo(SnowpackConfig.DEFAULT_MAX_ATTEMPTS);
        assertThat(config.retryAfter()).isEqualTo(SnowpackConfig.DEFAULT_RETRY_AFTER);
        assertThat(config.drainMode()).isEqualTo(SnowpackConfig.DEFAULT_DRAIN_MODE);
        assertThat(config.maxConcurrentListings()).isEqualTo(SnowpackConfig.DEFAULT_MAX_CONCURRENT_LISTINGS);
        assertThat(config.executorSparkEnabled()).isEqualTo(SnowpackConfig.DEFAULT_EXECUTOR_SPARK_ENABLED);
        assertThat(config.executorDefault()).isEqualTo(SnowpackConfig.DEFAULT_EXECUTOR_MODE);
        assertThat(config.executorSparkThresholdBytes())
                .isEqualTo(SnowpackConfig.DEFAULT_EXECUTOR_SPARK_THRESHOLD_BYTES);
        assertThat(config.tableDefaults()).isEqualTo(TablePropertyDefaults.defaults());
        assertThat(SnowpackConfig.builder().build()).isEqualTo(config);
    }

    @Test
    void toBuilderRoundTripsEveryValue() {
        SnowpackConfig config = SettingSamples.nonDefaultConfig();

        SnowpackConfig copy = config.toBuilder().build();

        assertThat(copy).isEqualTo(config).hasSameHashCodeAs(config).isNotEqualTo(SnowpackConfig.defaults());
        assertThat(copy.toString()).isEqualTo(config.toString());
        assertThat(copy.healthSyncDatabases()).containsExactly("a_db", "b_db");
        assertThat(copy.tableDefaults()).isEqualTo(config.tableDefaults());
        assertThat(config.toBuilder().maxAttempts(9).build().maxAttempts()).isEqualTo(9);
        assertThat(config.maxAttempts()).as("the original is untouched").isEqualTo(7);
    }

    @Test
    void databaseSetsAreSortedCopiesThatCannotChange() {
        List<String> names = new ArrayList<>(List.of("zeta", "alpha"));
        SnowpackConfig.Builder builder = SnowpackConfig.builder().healthSyncDatabases(names);
        names.add("Not Valid");

        SnowpackConfig config = builder.build();

        assertThat(config.healthSyncDatabases()).containsExactly("alpha", "zeta");
        assertThatThrownBy(() -> config.healthSyncDatabases().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toStringListsEveryEffectiveSettingInTableOrder() {
        SnowpackConfig config = SnowpackConfig.builder()
                .healthSyncDatabases(Set.of("b", "a"))
                .maintenanceMode(MaintenanceMode.OPT_OUT)
                .tableDefaults(TablePropertyDefaults.builder().minInputFiles(9).build())
                .build();

        String text = config.toString();

        assertThat(text).startsWith("SnowpackConfig{sweeper.stale_claim_threshold=30m, sweeper.interval=30s, ")
                .contains("health_sync.databases=a,b, ")
                .contains("orchestrator.maintenance_mode=opt_out, ")
                .contains("worker.retry_jitter=0.2, ")
                .contains("defaults.min_input_files=9, ")
                .endsWith("defaults.orphan_file_age_days=3}");
        for (Setting setting : Setting.values()) {
            assertThat(text).contains(setting.key() + "=" + setting.read(config));
        }
    }
}
