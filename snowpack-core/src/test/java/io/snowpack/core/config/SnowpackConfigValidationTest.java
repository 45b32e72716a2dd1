package io.snowpack.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SnowpackConfigValidationTest {

    static Stream<Arguments> valuesOutOfRange() {
        return Stream.of(
                rejected("sweeper.stale_claim_threshold", "'0'", b -> b.staleClaimThreshold(Duration.ZERO)),
                rejected("sweeper.stale_claim_threshold", "'null'", b -> b.staleClaimThreshold(null)),
                rejected("sweeper.interval", "'0'", b -> b.sweeperInterval(Duration.ZERO)),
                rejected("sweeper.job_retention", "'PT-1H'", b -> b.jobRetention(Duration.ofHours(-1))),
                rejected("health_sync.interval", "'PT-1S'", b -> b.healthSyncInterval(Duration.ofSeconds(-1))),
                rejected("health_sync.concurrency", "'0'", b -> b.healthSyncConcurrency(0)),
                rejected("health_sync.databases", "'Bad-Db'", b -> b.healthSyncDatabases(List.of("ok", "Bad-Db"))),
                rejected("health_sync.databases", "''", b -> b.healthSyncDatabases(List.of(""))),
                rejected("health_sync.databases", "'9lives'", b -> b.healthSyncDatabases(List.of("9lives"))),
                rejected("health_sync.databases", "'null'", b -> b.healthSyncDatabases(Arrays.asList("a", null))),
                rejected("health_sync.databases", "'" + "a".repeat(77) + "...'",
                        b -> b.healthSyncDatabases(List.of("a".repeat(256)))),
                rejected("orchestrator.interval", "'0'", b -> b.orchestratorInterval(Duration.ZERO)),
                rejected("orchestrator.include_databases", "'../x'",
                        b -> b.orchestratorIncludeDatabases(List.of("ok", "../x"))),
                rejected("orchestrator.maintenance_cadence", "'PT-6H'",
                        b -> b.maintenanceCadence(Duration.ofHours(-6))),
                rejected("orchestrator.maintenance_mode", "'null'", b -> b.maintenanceMode(null)),
                rejected("worker.lock_ttl", "'0'", b -> b.lockTtl(Duration.ZERO)),
                rejected("worker.heartbeat_interval", "'0'", b -> b.heartbeatInterval(Duration.ZERO)),
                rejected("leader.lease_ttl", "'0'", b -> b.leaderLeaseTtl(Duration.ZERO)),
                rejected("worker.retry_backoff_base", "'0'", b -> b.retryBackoffBase(Duration.ZERO)),
                rejected("worker.retry_backoff_cap", "'0'", b -> b.retryBackoffCap(Duration.ZERO)),
                rejected("worker.retry_jitter", "'1.5'", b -> b.retryJitter(1.5)),
                rejected("worker.retry_jitter", "'-0.1'", b -> b.retryJitter(-0.1)),
                rejected("worker.retry_jitter", "'NaN'", b -> b.retryJitter(Double.NaN)),
                rejected("worker.max_attempts", "'0'", b -> b.maxAttempts(0)),
                rejected("worker.outage_backoff_max", "'0'", b -> b.outageBackoffMax(Duration.ZERO)),
                rejected("worker.outage_backoff_max", "'PT-1S'", b -> b.outageBackoffMax(Duration.ofSeconds(-1))),
                rejected("api.retry_after", "'1500ms'", b -> b.retryAfter(Duration.ofMillis(1500))),
                rejected("api.retry_after", "'500ms'", b -> b.retryAfter(Duration.ofMillis(500))),
                rejected("api.retry_after", "'0'", b -> b.retryAfter(Duration.ZERO)),
                rejected("api.max_concurrent_listings", "'0'", b -> b.maxConcurrentListings(0)),
                rejected("health_sync.history_interval", "'0'", b -> b.healthHistoryInterval(Duration.ZERO)),
                rejected("health_sync.history_interval", "'PT-1H'", b -> b.healthHistoryInterval(Duration.ofHours(-1))),
                rejected("executor.default", "'null'", b -> b.executorDefault(null)),
                rejected("executor.spark_threshold_bytes", "'0'", b -> b.executorSparkThresholdBytes(0)),
                rejected("executor.spark_threshold_bytes", "'-1'", b -> b.executorSparkThresholdBytes(-1)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("valuesOutOfRange")
    void theBuilderRefusesValuesOutOfRange(String key, String shownValue, UnaryOperator<SnowpackConfig.Builder> set) {
        assertRejected(set.apply(SnowpackConfig.builder()), key, shownValue);
    }

    @Test
    void aRejectionSaysWhatWasExpected() {
        assertThatThrownBy(() -> SnowpackConfig.builder().healthSyncConcurrency(0).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value '0' for health_sync.concurrency: expected a whole number >= 1");
        assertThatThrownBy(() -> SnowpackConfig.builder().sweeperInterval(Duration.ZERO).build())
                .hasMessageStartingWith("Invalid value '0' for sweeper.interval: expected a duration > 0 (")
                .hasMessageContaining("500ms, 30s, 15m, 2h, 90d")
                .hasMessageContaining("PT30M");
        assertThatThrownBy(() -> SnowpackConfig.builder().healthSyncDatabases(List.of("Bad-Db")).build())
                .hasMessageContaining("1-255 characters of [a-z0-9_], starting with a letter or underscore");
    }

    @Test
    void boundaryValuesAreAccepted() {
        SnowpackConfig config = SnowpackConfig.builder()
                .healthSyncInterval(Duration.ZERO)
                .healthSyncConcurrency(1)
                .maxAttempts(1)
                .retryJitter(0)
                .retryAfter(Duration.ofSeconds(1))
                .retryBackoffCap(SnowpackConfig.DEFAULT_RETRY_BACKOFF_BASE)
                .heartbeatInterval(SnowpackConfig.DEFAULT_STALE_CLAIM_THRESHOLD.minusMillis(1))
                .lockTtl(SnowpackConfig.DEFAULT_STALE_CLAIM_THRESHOLD.plusMillis(1))
                .healthSyncDatabases(List.of("_x", "a".repeat(255)))
                .build();

        assertThat(config.healthSyncInterval()).isZero();
        assertThat(config.retryBackoffCap()).isEqualTo(config.retryBackoffBase());
        assertThat(config.healthSyncDatabases()).hasSize(2);
        assertThat(SnowpackConfig.builder().retryJitter(1).build().retryJitter()).isEqualTo(1.0);
    }

    @Test
    void theLockMustOutliveTheStaleClaimThreshold() {
        assertRejected(SnowpackConfig.builder().lockTtl(Duration.ofMinutes(30)), "worker.lock_ttl", "'30m'");
        assertThatThrownBy(() -> SnowpackConfig.builder().lockTtl(Duration.ofMinutes(20)).build())
                .hasMessageContaining("sweeper.stale_claim_threshold (30m)");
    }

    @Test
    void heartbeatsMustComeSoonerThanTheStaleThresholdAndTheLockTtl() {
        assertRejected(SnowpackConfig.builder().heartbeatInterval(Duration.ofMinutes(30)),
                "worker.heartbeat_interval", "'30m'");
        assertThatThrownBy(() -> SnowpackConfig.builder().heartbeatInterval(Duration.ofMinutes(30)).build())
                .hasMessageContaining("sweeper.stale_claim_threshold (30m)");

        SnowpackConfig.Builder pastTheLock = SnowpackConfig.builder()
                .staleClaimThreshold(Duration.ofHours(3)).lockTtl(Duration.ofHours(1))
                .heartbeatInterval(Duration.ofHours(2));
        assertRejected(pastTheLock, "worker.heartbeat_interval", "'2h'");
        assertThatThrownBy(pastTheLock::build).hasMessageContaining("worker.lock_ttl (1h)");
    }

    @Test
    void theBackoffCapMustBeAtLeastTheBase() {
        SnowpackConfig.Builder builder = SnowpackConfig.builder().retryBackoffCap(Duration.ofSeconds(10));

        assertRejected(builder, "worker.retry_backoff_cap", "'10s'");
        assertThatThrownBy(builder::build).hasMessageContaining("worker.retry_backoff_base (1m)");
    }

    @Test
    void aDatabaseTheOrchestratorIncludesButHealthSyncSkipsIsAnError() {
        SnowpackConfig.Builder builder = SnowpackConfig.builder()
                .healthSyncDatabases(List.of("demo"))
                .orchestratorIncludeDatabases(List.of("offer_service", "demo"));

        assertRejected(builder, "orchestrator.include_databases", "'demo,offer_service'");
        assertThatThrownBy(builder::build)
                .hasMessageContaining("health_sync.databases (demo)")
                .hasMessageContaining("[offer_service] would never reach the table cache");
    }

    @Test
    void anEmptyHealthSyncListCoversEveryDatabaseTheOrchestratorIncludes() {
        assertThat(SnowpackConfig.builder().orchestratorIncludeDatabases(List.of("x")).build()
                .orchestratorIncludeDatabases()).containsExactly("x");
        assertThat(SnowpackConfig.builder()
                .healthSyncDatabases(Set.of("x", "y")).orchestratorIncludeDatabases(Set.of("y")).build()
                .orchestratorIncludeDatabases()).containsExactly("y");
    }

    @Test
    void theTableDefaultsCannotBeNull() {
        assertThatThrownBy(() -> SnowpackConfig.builder().tableDefaults(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("tableDefaults");
    }

    private static Arguments rejected(String key, String shownValue, UnaryOperator<SnowpackConfig.Builder> set) {
        return Arguments.of(key, shownValue, set);
    }

    static void assertRejected(SnowpackConfig.Builder builder, String key, String shownValue) {
        assertThatThrownBy(builder::build)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("Invalid value " + shownValue + " for " + key + ": expected ")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo(key));
    }
}
