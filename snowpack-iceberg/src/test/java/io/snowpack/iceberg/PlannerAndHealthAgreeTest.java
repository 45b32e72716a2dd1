package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.policy.MaintenancePlan;
import io.snowpack.core.policy.MaintenancePolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The health reasons (what the orchestrator plans from) and the compaction planner (what the executor runs) read
 * {@code snowpack.min_input_files} by the one resolver, so on a real table of six small files they agree on every
 * edge value, and the health and the plan report the same problems. The rules themselves are in core's
 * {@code TableSettingsTest}.
 */
class PlannerAndHealthAgreeTest {
    private static final TableId EVENTS = TableId.of("db", "events");
    private static final SnowpackConfig CONFIG =
            SnowpackConfig.builder().orchestratorIncludeDatabases(List.of("db")).build();

    @TempDir
    Path root;

    private Warehouse warehouse;
    private Table table;

    @BeforeEach
    void createTable() {
        warehouse = new Warehouse(root);
        table = warehouse.create("events", PartitionSpec.unpartitioned(),
                Map.of("snowpack.maintenance_enabled", "true"));
        warehouse.append(table, 6, 10);
        table = warehouse.load("events");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    @ParameterizedTest(name = "min_input_files=\"{0}\" compacts: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
        6                      | true
        7                      | false
        +6                     | true
        " 6 "                  | true
        1                      | true
        abc                    | true
        ""                     | true
        0                      | true
        -1                     | true
        6.0                    | true
        2147483647             | false
        2147483648             | false
        99999999999            | false
        99999999999999999999   | false
        """)
    void plannerAndHealthReasonsAgreeOnMinInputFiles(String raw, boolean compacts) {
        table.updateProperties().set("snowpack.min_input_files", raw == null ? "" : raw).commit();
        IcebergTableSource source = IcebergTableSource.create(warehouse.catalog, CONFIG);
        IcebergMaintenanceExecutor executor = IcebergMaintenanceExecutor.create(warehouse.catalog, CONFIG);

        TableHealth health = source.health(EVENTS);
        MaintenancePlan plan = MaintenancePolicy.standard(CONFIG).plan(health, Optional.empty(), Instant.now());
        ActionResult preview = executor.preview(EVENTS, MaintenanceAction.REWRITE_DATA_FILES);

        assertThat(health.smallFiles()).isEqualTo(6);
        assertThat(health.reasons().stream().anyMatch(r -> r.startsWith("rewrite_data_files:")))
                .as("health reasons %s", health.reasons()).isEqualTo(compacts);
        assertThat(plan.actions().contains(MaintenanceAction.REWRITE_DATA_FILES))
                .as("plan reasons %s", plan.reasons()).isEqualTo(compacts);
        assertThat(preview.metrics().get("files_to_rewrite"))
                .as("planner: %s", preview.message()).isEqualTo(compacts ? 6L : 0L);
        assertThat(plan.reasons()).containsAll(health.propertyProblems());
    }

    /**
     * The Iceberg fallback properties reach the policy too: with {@code history.expire.max-snapshot-age-ms=1} every
     * one of three snapshots is old, and {@code history.expire.min-snapshots-to-keep} decides, for the health
     * reasons and the executor alike. A value Iceberg itself cannot parse as an int ({@code expired} -1 here) makes
     * Iceberg's own {@code expireSnapshots()} refuse, whatever Snowpack passes it: the health and the plan report the
     * property, and the job fails as permanent with a message naming the cause.
     */
    @ParameterizedTest(name = "min-snapshots-to-keep=\"{0}\" expires: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
        3                      | 0
        2                      | 1
        +1                     | 2
        0                      | 2
        abc                    | -1
        99999999999            | -1
        """)
    void expiryAndHealthReasonsAgreeOnTheIcebergFallback(String raw, long expired) throws InterruptedException {
        warehouse.append(table, 1, 1);
        warehouse.append(warehouse.load("events"), 1, 1);
        warehouse.load("events").updateProperties().set("history.expire.max-snapshot-age-ms", "1")
                .set("history.expire.min-snapshots-to-keep", raw).commit();
        Thread.sleep(10);
        IcebergTableSource source = IcebergTableSource.create(warehouse.catalog, CONFIG);
        IcebergMaintenanceExecutor executor = IcebergMaintenanceExecutor.create(warehouse.catalog, CONFIG);

        TableHealth health = source.health(EVENTS);
        MaintenancePlan plan = MaintenancePolicy.standard(CONFIG).plan(health, Optional.empty(), Instant.now());

        assertThat(health.snapshots()).isEqualTo(3);
        assertThat(plan.reasons()).containsAll(health.propertyProblems());
        if (expired < 0) {
            assertThat(health.propertyProblems()).anyMatch(p -> p.startsWith("history.expire.min-snapshots-to-keep="));
            assertThatThrownBy(() -> executor.preview(EVENTS, MaintenanceAction.EXPIRE_SNAPSHOTS))
                    .isInstanceOf(ActionFailedException.class)
                    .hasMessageContaining("a table property has an unusable value");
            return;
        }
        ActionResult preview = executor.preview(EVENTS, MaintenanceAction.EXPIRE_SNAPSHOTS);
        assertThat(health.reasons().stream().anyMatch(r -> r.startsWith("expire_snapshots:")))
                .as("health reasons %s", health.reasons()).isEqualTo(expired > 0);
        assertThat(plan.actions().contains(MaintenanceAction.EXPIRE_SNAPSHOTS))
                .as("plan reasons %s", plan.reasons()).isEqualTo(expired > 0);
        assertThat(preview.metrics().get("snapshots_to_expire")).as(preview.message()).isEqualTo(expired);
    }
}
