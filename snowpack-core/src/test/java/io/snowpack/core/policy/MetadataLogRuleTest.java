package io.snowpack.core.policy;

import static io.snowpack.core.model.MaintenanceAction.EXPIRE_SNAPSHOTS;
import static io.snowpack.core.model.MaintenanceAction.REMOVE_ORPHAN_FILES;
import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The metadata-log rule of {@code expire_snapshots} ({@link MetadataLogRule}): a full log calls for the action only
 * with {@code write.metadata.delete-after-commit.enabled=true}; with Iceberg's defaults it gives an informational
 * reason naming the property and the table stays healthy.
 */
class MetadataLogRuleTest {
    private static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");
    private static final TableId ORDERS = TableId.of("sales", "orders");
    private static final SnowpackConfig CONFIG =
            SnowpackConfig.builder().orchestratorIncludeDatabases(List.of("sales")).build();
    private static final MaintenancePolicy POLICY = MaintenancePolicy.standard(CONFIG);
    private static final String MAX = TableProperties.ICEBERG_METADATA_PREVIOUS_VERSIONS_MAX;
    private static final String DELETE = TableProperties.ICEBERG_METADATA_DELETE_AFTER_COMMIT;

    /** Opted in, one fresh snapshot, one manifest: nothing else to do. */
    private static TableHealth.Builder healthy(int previousMetadataFiles) {
        return TableHealth.builder(ORDERS)
                .property(TableProperties.MAINTENANCE_ENABLED, "true")
                .dataFiles(1000)
                .snapshots(1)
                .oldestSnapshotAt(NOW.minus(Duration.ofDays(1)))
                .dataManifests(1)
                .previousMetadataFiles(previousMetadataFiles)
                .syncedAt(NOW);
    }

    @Test
    void aFullLogWithIcebergsDefaultsIsInformationalAndTheTableStaysHealthy() {
        TableHealth health = healthy(100).build();

        MaintenancePlan plan = POLICY.plan(health, Optional.empty(), NOW);

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.reasons()).contains("no expire_snapshots: metadata log full (100 earlier metadata files >= "
                + "write.metadata.previous-versions-max 100) but write.metadata.delete-after-commit.enabled=false "
                + "(unset): every earlier metadata file stays on storage and Snowpack deletes none; set it to true to "
                + "have Iceberg delete those that fall off the log and expire_snapshots those that already did",
                "healthy: no threshold crossed");
        assertThat(POLICY.thresholdsCrossed(health, NOW)).isEmpty();
    }

    @Test
    void aFullLogWithDeleteAfterCommitCallsForExpiry() {
        TableHealth health = healthy(3).property(MAX, "3").property(DELETE, "true").build();

        MaintenancePlan plan = POLICY.plan(health, Optional.empty(), NOW);

        assertThat(plan.actions()).containsExactly(EXPIRE_SNAPSHOTS, REMOVE_ORPHAN_FILES);
        assertThat(POLICY.thresholdsCrossed(health, NOW)).containsExactly(
                "expire_snapshots: metadata log full (3 earlier metadata files >= write.metadata.previous-versions-max"
                        + " 3) with write.metadata.delete-after-commit.enabled=true: metadata files that fell off the "
                        + "log before it was set may remain, and expire_snapshots deletes them",
                "remove_orphan_files: follows expire_snapshots");
    }

    @Test
    void aLogNotYetFullSaysNothing() {
        TableHealth health = healthy(2).property(MAX, "3").property(DELETE, "true").build();

        MaintenancePlan plan = POLICY.plan(health, Optional.empty(), NOW);

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.reasons()).noneMatch(r -> r.contains("metadata log"));
    }

    /** Iceberg reads the switch with {@code Boolean.parseBoolean} and the cap as at least 1. */
    @ParameterizedTest(name = "max {0}, delete-after-commit {1}, {2} logged")
    @CsvSource({
        "3, TRUE, 3, true",
        "3, true, 7, true",
        "3, yes, 3, false",
        "3, false, 3, false",
        "0, true, 1, true",
        "-5, true, 1, true",
        "101, true, 100, false",
    })
    void theSwitchAndTheCapAreReadAsIcebergReadsThem(String max, String deleteAfterCommit, int logged,
            boolean expires) {
        TableHealth health = healthy(logged).property(MAX, max).property(DELETE, deleteAfterCommit).build();

        MaintenancePlan plan = POLICY.plan(health, Optional.empty(), NOW);

        assertThat(plan.actions().contains(EXPIRE_SNAPSHOTS)).as(plan.reasons().toString()).isEqualTo(expires);
    }

    @Test
    void aCapThatIsNotANumberIsNamedAndNotJudged() {
        TableHealth health = healthy(500).property(MAX, "lots").property(DELETE, "true").build();

        MaintenancePlan plan = POLICY.plan(health, Optional.empty(), NOW);

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.reasons()).contains("no expire_snapshots: write.metadata.previous-versions-max='lots' is not "
                + "a whole number, so the metadata log is not judged");
    }
}
