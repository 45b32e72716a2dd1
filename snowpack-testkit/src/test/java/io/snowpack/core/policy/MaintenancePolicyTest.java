package io.snowpack.core.policy;

import static io.snowpack.core.model.MaintenanceAction.EXPIRE_SNAPSHOTS;
import static io.snowpack.core.model.MaintenanceAction.REMOVE_ORPHAN_FILES;
import static io.snowpack.core.model.MaintenanceAction.REWRITE_DATA_FILES;
import static io.snowpack.core.model.MaintenanceAction.REWRITE_MANIFESTS;
import static io.snowpack.core.model.MaintenanceAction.REWRITE_POSITION_DELETE_FILES;
import static io.snowpack.core.policy.TableProperties.COMPACTION_SKIP;
import static io.snowpack.core.policy.TableProperties.DELETE_FILE_THRESHOLD;
import static io.snowpack.core.policy.TableProperties.ICEBERG_MAX_SNAPSHOT_AGE_MS;
import static io.snowpack.core.policy.TableProperties.ICEBERG_MIN_SNAPSHOTS_TO_KEEP;
import static io.snowpack.core.policy.TableProperties.MAINTENANCE_CADENCE_HOURS;
import static io.snowpack.core.policy.TableProperties.MAINTENANCE_ENABLED;
import static io.snowpack.core.policy.TableProperties.MAX_SNAPSHOT_AGE_DAYS;
import static io.snowpack.core.policy.TableProperties.MIN_INPUT_FILES;
import static io.snowpack.core.policy.TableProperties.MIN_SNAPSHOTS_TO_KEEP;
import static io.snowpack.core.policy.TableProperties.REWRITE_DATA_DELETE_FILE_THRESHOLD;
import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.MaintenanceMode;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One synthetic health per rule: every threshold just below and at its boundary, every property override, the
 * gates (include list, opt-in and opt-out, compaction_skip, cadence) and bad property values.
 */
class MaintenancePolicyTest {
    private static final Instant NOW = SettableClock.START;
    private static final TableId ORDERS = TableId.of("sales", "orders");
    private static final SnowpackConfig CONFIG =
            SnowpackConfig.builder().orchestratorIncludeDatabases(List.of("sales")).build();
    private static final SnowpackConfig OPT_OUT = CONFIG.toBuilder().maintenanceMode(MaintenanceMode.OPT_OUT).build();
    private static final Optional<Instant> NEVER = Optional.empty();

    /** Opted in, one fresh snapshot, one manifest, nothing to do. */
    private static TableHealth.Builder healthy() {
        return TableHealth.builder(ORDERS)
                .property(MAINTENANCE_ENABLED, "true")
                .dataFiles(1000)
                .snapshots(1)
                .oldestSnapshotAt(NOW.minus(Duration.ofDays(1)))
                .dataManifests(1)
                .syncedAt(NOW);
    }

    /** Snapshots old enough to expire under the default 5 days, unless min_snapshots_to_keep says otherwise. */
    private static TableHealth.Builder snapshots(int count, Duration oldest) {
        return healthy().snapshots(count).oldestSnapshotAt(NOW.minus(oldest));
    }

    record Case(String name, SnowpackConfig config, TableHealth health, Optional<Instant> lastMaintained,
            boolean eligible, List<MaintenanceAction> actions, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case rule(String name, UnaryOperator<TableHealth.Builder> health, String reason,
            MaintenanceAction... actions) {
        return new Case(name, CONFIG, health.apply(healthy()).build(), NEVER, true, List.of(actions), reason);
    }

    private static Case gate(String name, SnowpackConfig config, UnaryOperator<TableHealth.Builder> health,
            Optional<Instant> lastMaintained, boolean eligible, String reason) {
        return new Case(name, config, health.apply(healthy()).build(), lastMaintained, eligible, List.of(), reason);
    }

    static Stream<Case> thresholds() {
        Duration day = Duration.ofDays(1);
        Duration second = Duration.ofSeconds(1);
        return Stream.of(
                rule("healthy table", h -> h, "healthy: no threshold crossed"),
                rule("small files below min_input_files", h -> h.smallFiles(4),
                        "no rewrite_data_files: 4 small files < min_input_files 5"),
                rule("small files at min_input_files", h -> h.smallFiles(5),
                        "rewrite_data_files: 5 small files >= min_input_files 5", REWRITE_DATA_FILES),
                rule("min_input_files property, below", h -> h.smallFiles(9).property(MIN_INPUT_FILES, "10"),
                        "no rewrite_data_files: 9 small files < min_input_files 10"),
                rule("min_input_files property, at", h -> h.smallFiles(10).property(MIN_INPUT_FILES, "10"),
                        "rewrite_data_files: 10 small files >= min_input_files 10", REWRITE_DATA_FILES),
                rule("delete files below rewrite_data_delete_file_threshold", h -> h.positionDeleteFiles(1),
                        "no rewrite_data_files: 1 delete files (1 position, 0 equality) "
                                + "< rewrite_data_delete_file_threshold 2"),
                rule("delete files at rewrite_data_delete_file_threshold", h -> h.positionDeleteFiles(1)
                                .equalityDeleteFiles(1),
                        "rewrite_data_files: 2 delete files (1 position, 1 equality) "
                                + ">= rewrite_data_delete_file_threshold 2", REWRITE_DATA_FILES),
                rule("rewrite_data_delete_file_threshold property, below", h -> h.equalityDeleteFiles(3)
                                .property(REWRITE_DATA_DELETE_FILE_THRESHOLD, "4"),
                        "no rewrite_data_files: 3 delete files (0 position, 3 equality) "
                                + "< rewrite_data_delete_file_threshold 4"),
                rule("rewrite_data_delete_file_threshold property, at", h -> h.equalityDeleteFiles(4)
                                .property(REWRITE_DATA_DELETE_FILE_THRESHOLD, "4"),
                        "rewrite_data_files: 4 delete files (0 position, 4 equality) "
                                + ">= rewrite_data_delete_file_threshold 4", REWRITE_DATA_FILES),
                rule("position deletes below delete_file_threshold", h -> h.positionDeleteFiles(4)
                                .property(REWRITE_DATA_DELETE_FILE_THRESHOLD, "100"),
                        "no rewrite_position_delete_files: 4 position delete files < delete_file_threshold 5"),
                rule("position deletes at delete_file_threshold", h -> h.positionDeleteFiles(5)
                                .property(REWRITE_DATA_DELETE_FILE_THRESHOLD, "100"),
                        "rewrite_position_delete_files: 5 position delete files >= delete_file_threshold 5",
                        REWRITE_POSITION_DELETE_FILES),
                rule("delete_file_threshold property, below", h -> h.positionDeleteFiles(1)
                                .property(DELETE_FILE_THRESHOLD, "2"),
                        "no rewrite_position_delete_files: 1 position delete files < delete_file_threshold 2"),
                rule("delete_file_threshold property, at", h -> h.positionDeleteFiles(2)
                                .property(DELETE_FILE_THRESHOLD, "2")
                                .property(REWRITE_DATA_DELETE_FILE_THRESHOLD, "100"),
                        "rewrite_position_delete_files: 2 position delete files >= delete_file_threshold 2",
                        REWRITE_POSITION_DELETE_FILES),
                rule("oldest snapshot at max age", h -> snapshots(2, Duration.ofDays(5)),
                        "no expire_snapshots: oldest snapshot 5d old <= max snapshot age 5d"),
                rule("oldest snapshot past max age", h -> snapshots(2, Duration.ofDays(5).plus(second)),
                        "expire_snapshots: oldest snapshot 5d old > max snapshot age 5d, "
                                + "and 2 snapshots > min_snapshots_to_keep 1", EXPIRE_SNAPSHOTS, REMOVE_ORPHAN_FILES),
                rule("max_snapshot_age_days property, at", h -> snapshots(2, Duration.ofDays(2))
                                .property(MAX_SNAPSHOT_AGE_DAYS, "2"),
                        "no expire_snapshots: oldest snapshot 2d old <= max snapshot age 2d"),
                rule("max_snapshot_age_days property, past", h -> snapshots(2, Duration.ofDays(2).plus(second))
                                .property(MAX_SNAPSHOT_AGE_DAYS, "2"),
                        "expire_snapshots: oldest snapshot 2d old > max snapshot age 2d", EXPIRE_SNAPSHOTS,
                        REMOVE_ORPHAN_FILES),
                rule("Iceberg max age when the snowpack property is unset, at", h -> snapshots(2, day)
                                .property(ICEBERG_MAX_SNAPSHOT_AGE_MS, "86400000"),
                        "no expire_snapshots: oldest snapshot 1d old <= max snapshot age 1d"),
                rule("Iceberg max age when the snowpack property is unset, past", h -> snapshots(2, day.plus(second))
                                .property(ICEBERG_MAX_SNAPSHOT_AGE_MS, "86400000"),
                        "expire_snapshots: oldest snapshot 1d old > max snapshot age 1d", EXPIRE_SNAPSHOTS,
                        REMOVE_ORPHAN_FILES),
                rule("snowpack max age wins over Iceberg's", h -> snapshots(2, Duration.ofDays(3))
                                .property(ICEBERG_MAX_SNAPSHOT_AGE_MS, "86400000")
                                .property(MAX_SNAPSHOT_AGE_DAYS, "4"),
                        "no expire_snapshots: oldest snapshot 3d old <= max snapshot age 4d"),
                rule("snapshots at min_snapshots_to_keep", h -> snapshots(1, Duration.ofDays(30)),
                        "no expire_snapshots: 1 snapshot <= min_snapshots_to_keep 1"),
                rule("min_snapshots_to_keep property, at", h -> snapshots(10, Duration.ofDays(30))
                                .property(MIN_SNAPSHOTS_TO_KEEP, "10"),
                        "no expire_snapshots: 10 snapshots <= min_snapshots_to_keep 10"),
                rule("min_snapshots_to_keep property, above", h -> snapshots(11, Duration.ofDays(30))
                                .property(MIN_SNAPSHOTS_TO_KEEP, "10"),
                        "and 11 snapshots > min_snapshots_to_keep 10", EXPIRE_SNAPSHOTS, REMOVE_ORPHAN_FILES),
                rule("Iceberg min snapshots when the snowpack property is unset", h -> snapshots(3, Duration.ofDays(30))
                                .property(ICEBERG_MIN_SNAPSHOTS_TO_KEEP, "3"),
                        "no expire_snapshots: 3 snapshots <= min_snapshots_to_keep 3"),
                rule("no snapshots", h -> h.snapshots(0).oldestSnapshotAt(null),
                        "no expire_snapshots: the table has no snapshots"),
                rule("data manifests at the limit", h -> h.dataManifests(100),
                        "no rewrite_manifests: 100 data manifests <= 100"),
                rule("data manifests past the limit", h -> h.dataManifests(101),
                        "rewrite_manifests: 101 data manifests > 100", REWRITE_MANIFESTS),
                rule("a health reason naming an action", h -> h.reason("rewrite_data_files: 14% of rows deleted"),
                        "rewrite_data_files: requested by the table's health (rewrite_data_files: 14% of rows deleted)",
                        REWRITE_DATA_FILES),
                rule("a health reason naming no action", h -> h.reason("800 small files (threshold 5)"),
                        "healthy: no threshold crossed"),
                rule("every threshold, in canonical order", h -> snapshots(50, Duration.ofDays(30)).smallFiles(80)
                                .positionDeleteFiles(9).dataManifests(500),
                        "remove_orphan_files: follows expire_snapshots", REWRITE_DATA_FILES,
                        REWRITE_POSITION_DELETE_FILES, EXPIRE_SNAPSHOTS, REWRITE_MANIFESTS, REMOVE_ORPHAN_FILES));
    }

    /** The plan states what the resolver reports; every rule of a bad value is in {@code TableSettingsTest}. */
    static Stream<Case> badValues() {
        return Stream.of(
                rule("min_input_files not a number", h -> h.smallFiles(5).property(MIN_INPUT_FILES, "abc"),
                        "snowpack.min_input_files='abc' is not a whole number >= 1; using 5 instead",
                        REWRITE_DATA_FILES),
                rule("min_input_files beyond a long is clamped, not replaced by the default",
                        h -> h.smallFiles(80).property(MIN_INPUT_FILES, "99999999999999999999"),
                        "snowpack.min_input_files='99999999999999999999' is more than 2147483647; "
                                + "using 2147483647 instead"),
                rule("a bad Iceberg fallback value", h -> snapshots(3, Duration.ofDays(30))
                                .property(ICEBERG_MIN_SNAPSHOTS_TO_KEEP, "lots"),
                        "history.expire.min-snapshots-to-keep='lots' is not a whole number >= 1; using 1 instead",
                        EXPIRE_SNAPSHOTS, REMOVE_ORPHAN_FILES),
                rule("an unknown snowpack key", h -> h.property("snowpack.colour", "blue"),
                        "snowpack.colour: unknown snowpack property"));
    }

    static Stream<Case> gates() {
        Optional<Instant> hoursAgo5h59 = Optional.of(NOW.minus(Duration.ofMinutes(6 * 60 - 1)));
        Optional<Instant> hoursAgo6 = Optional.of(NOW.minus(Duration.ofHours(6)));
        UnaryOperator<TableHealth.Builder> unset = h -> h.properties(Map.of());
        SnowpackConfig twoHours = CONFIG.toBuilder().maintenanceCadence(Duration.ofHours(2)).build();
        return Stream.of(
                gate("database not included", SnowpackConfig.defaults(), h -> h, NEVER, false,
                        "database sales is not in orchestrator.include_databases"),
                gate("database included", CONFIG, h -> h, NEVER, true,
                        "database sales is in orchestrator.include_databases"),
                gate("opt_in, property unset", CONFIG, unset, NEVER, false,
                        "not opted in: snowpack.maintenance_enabled is not true (opt_in mode)"),
                gate("opt_in, property false", CONFIG, h -> h.property(MAINTENANCE_ENABLED, "false"),
                        NEVER, false, "not opted in: snowpack.maintenance_enabled is not true (opt_in mode)"),
                gate("opt_in, property TRUE", CONFIG, h -> h.property(MAINTENANCE_ENABLED, " TRUE "),
                        NEVER, true, "opted in: snowpack.maintenance_enabled=true (opt_in mode)"),
                gate("opt_out, property unset", OPT_OUT, unset, NEVER, true,
                        "maintained by default: snowpack.maintenance_enabled is not false (opt_out mode)"),
                gate("opt_out, property false", OPT_OUT, h -> h.property(MAINTENANCE_ENABLED, "false"),
                        NEVER, false, "opted out: snowpack.maintenance_enabled=false (opt_out mode)"),
                gate("opt_out, property not a boolean", OPT_OUT,
                        h -> h.property(MAINTENANCE_ENABLED, "no"), NEVER, false,
                        "not maintained: snowpack.maintenance_enabled='no' is neither true nor false"),
                gate("opt_in, property not a boolean", CONFIG,
                        h -> h.property(MAINTENANCE_ENABLED, "yes"), NEVER, false,
                        "not maintained: snowpack.maintenance_enabled='yes' is neither true nor false"),
                gate("compaction_skip true", CONFIG, h -> h.property(COMPACTION_SKIP, "true"), NEVER,
                        false, "skipped: snowpack.compaction_skip=true"),
                gate("compaction_skip true in opt_out mode", OPT_OUT,
                        h -> h.property(COMPACTION_SKIP, "True"), NEVER, false,
                        "skipped: snowpack.compaction_skip=true"),
                gate("compaction_skip false", CONFIG, h -> h.property(COMPACTION_SKIP, "false"), NEVER,
                        true, "healthy: no threshold crossed"),
                gate("compaction_skip not a boolean", CONFIG,
                        h -> h.property(COMPACTION_SKIP, "maybe"), NEVER, false,
                        "skipped: snowpack.compaction_skip='maybe' is neither true nor false"),
                gate("never maintained", CONFIG, h -> h, NEVER, true, "due: no maintenance by Snowpack recorded"),
                gate("default cadence, just within", CONFIG, h -> h, hoursAgo5h59, false,
                        "skipped: maintained 5h59m ago, within its 6h cadence"),
                gate("default cadence, at", CONFIG, h -> h, hoursAgo6, true,
                        "due: maintained 6h ago, its cadence is 6h"),
                gate("configured cadence, within", twoHours, h -> h, Optional.of(NOW.minus(Duration.ofMinutes(119))),
                        false, "skipped: maintained 1h59m ago, within its 2h cadence"),
                gate("configured cadence, at", twoHours, h -> h, Optional.of(NOW.minus(Duration.ofHours(2))), true,
                        "due: maintained 2h ago, its cadence is 2h"),
                gate("cadence property, within", CONFIG,
                        h -> h.property(MAINTENANCE_CADENCE_HOURS, "24"),
                        Optional.of(NOW.minus(Duration.ofHours(23))), false,
                        "skipped: maintained 23h ago, within its 1d cadence"),
                gate("cadence property, at", CONFIG, h -> h.property(MAINTENANCE_CADENCE_HOURS, "24"),
                        Optional.of(NOW.minus(Duration.ofHours(24))), true,
                        "due: maintained 1d ago, its cadence is 1d"),
                gate("cadence property shorter than the default", CONFIG,
                        h -> h.property(MAINTENANCE_CADENCE_HOURS, "1"), hoursAgo5h59, true,
                        "due: maintained 5h59m ago, its cadence is 1h"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"thresholds", "badValues", "gates"})
    void plansEachRule(Case c) {
        MaintenancePlan plan = MaintenancePolicy.standard(c.config()).plan(c.health(), c.lastMaintained(), NOW);

        assertThat(plan.table()).isEqualTo(ORDERS);
        assertThat(plan.eligible()).as("eligible; reasons %s", plan.reasons()).isEqualTo(c.eligible());
        assertThat(plan.actions()).as("actions; reasons %s", plan.reasons()).containsExactlyElementsOf(c.actions());
        assertThat(plan.reasons()).anySatisfy(reason -> assertThat(reason).contains(c.reason()));
        assertThat(plan.submits()).isEqualTo(c.eligible() && !c.actions().isEmpty());
    }

    @Test
    void anIneligibleTableGetsNoActionsWhateverItsHealth() {
        TableHealth unhealthy = snapshots(50, Duration.ofDays(30)).smallFiles(80).positionDeleteFiles(9)
                .property(COMPACTION_SKIP, "true").build();

        MaintenancePlan plan = MaintenancePolicy.standard(CONFIG).plan(unhealthy, NEVER, NOW);

        assertThat(plan.eligible()).isFalse();
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.submits()).isFalse();
        assertThat(plan.reasons()).noneMatch(reason -> reason.startsWith("rewrite_data_files"));
    }

    @Test
    void statesEveryGateATableFails() {
        TableHealth health = healthy().properties(Map.of(COMPACTION_SKIP, "true")).build();

        MaintenancePlan plan = MaintenancePolicy.standard(SnowpackConfig.defaults())
                .plan(health, Optional.of(NOW.minus(Duration.ofHours(2))), NOW);

        assertThat(plan.reasons()).containsExactly(
                "database sales is not in orchestrator.include_databases",
                "not opted in: snowpack.maintenance_enabled is not true (opt_in mode)",
                "skipped: snowpack.compaction_skip=true",
                "skipped: maintained 2h ago, within its 6h cadence",
                "executor: local (executor.spark_enabled=false: this deployment has no Spark executor)");
        assertThat(plan.skippedBy()).containsExactly(SkipReason.DATABASE_NOT_INCLUDED, SkipReason.NOT_OPTED_IN,
                SkipReason.COMPACTION_SKIP, SkipReason.WITHIN_CADENCE);
        assertThat(plan.firstSkipReason()).contains(SkipReason.DATABASE_NOT_INCLUDED);
    }

    @Test
    void anEligibleTableGetsOneReasonPerRuleInOrder() {
        MaintenancePlan plan = MaintenancePolicy.standard(CONFIG)
                .plan(healthy().smallFiles(800).build(), NEVER, NOW);

        assertThat(plan.reasons()).containsExactly(
                "database sales is in orchestrator.include_databases",
                "opted in: snowpack.maintenance_enabled=true (opt_in mode)",
                "due: no maintenance by Snowpack recorded",
                "rewrite_data_files: 800 small files >= min_input_files 5",
                "no rewrite_data_files: 0 delete files (0 position, 0 equality) < rewrite_data_delete_file_threshold 2",
                "no rewrite_position_delete_files: 0 position delete files < delete_file_threshold 5",
                "no expire_snapshots: oldest snapshot 1d old <= max snapshot age 5d",
                "no rewrite_manifests: 1 data manifest <= 100",
                "executor: local (executor.spark_enabled=false: this deployment has no Spark executor)");
        assertThat(plan.actions()).containsExactly(REWRITE_DATA_FILES);
    }

    @Test
    void configuredTableDefaultsApplyWhenNoPropertyIsSet() {
        SnowpackConfig config = CONFIG.toBuilder()
                .tableDefaults(CONFIG.tableDefaults().toBuilder().minInputFiles(50).build()).build();

        MaintenancePlan below = MaintenancePolicy.standard(config).plan(healthy().smallFiles(49).build(), NEVER, NOW);
        MaintenancePlan at = MaintenancePolicy.standard(config).plan(healthy().smallFiles(50).build(), NEVER, NOW);

        assertThat(below.actions()).isEmpty();
        assertThat(at.actions()).containsExactly(REWRITE_DATA_FILES);
        assertThat(at.reasons()).contains("rewrite_data_files: 50 small files >= min_input_files 50");
    }

    @Test
    void sameInputsGiveTheSamePlan() {
        MaintenancePolicy policy = MaintenancePolicy.standard(CONFIG);
        TableHealth health = snapshots(9, Duration.ofDays(9)).smallFiles(7).build();

        assertThat(policy.plan(health, NEVER, NOW)).isEqualTo(policy.plan(health, NEVER, NOW));
    }

    @Test
    void thresholdsCrossedIgnoreTheGatesAndTheHealthsOwnReasons() {
        TableHealth skipped = snapshots(9, Duration.ofDays(9)).smallFiles(7).positionDeleteFiles(5)
                .property(COMPACTION_SKIP, "true").reason("rewrite_data_files: stale").build();

        List<String> crossed = MaintenancePolicy.standard(SnowpackConfig.defaults()).thresholdsCrossed(skipped, NOW);

        assertThat(crossed).containsExactly(
                "rewrite_data_files: 7 small files >= min_input_files 5",
                "rewrite_data_files: 5 delete files (5 position, 0 equality) >= rewrite_data_delete_file_threshold 2",
                "rewrite_position_delete_files: 5 position delete files >= delete_file_threshold 5",
                "expire_snapshots: oldest snapshot 9d old > max snapshot age 5d, and 9 snapshots > "
                        + "min_snapshots_to_keep 1",
                "remove_orphan_files: follows expire_snapshots");
        assertThat(MaintenancePolicy.standard(CONFIG).thresholdsCrossed(healthy().build(), NOW)).isEmpty();
    }
}
