package io.snowpack.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.config.TablePropertyDefaults;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one table of property rules (see {@link TableSettings}): for one property set to one raw value, the setting
 * every consumer gets (the policy's plan and health reasons, the Iceberg executor) and the problem reported, if any.
 * Durations are shown as {@link Duration#toString()}; defaults are those of {@link SnowpackConfig#defaults()}.
 */
class TableSettingsTest {
    private static final SnowpackConfig CONFIG = SnowpackConfig.defaults();

    /** The setting a property resolves into. */
    private static final Map<String, Function<TableSettings, Object>> SETTING = Map.ofEntries(
            Map.entry("snowpack.maintenance_enabled", TableSettings::maintenanceEnabled),
            Map.entry("snowpack.compaction_skip", TableSettings::compactionSkip),
            Map.entry("snowpack.maintenance_cadence_hours", TableSettings::cadence),
            Map.entry("snowpack.target_file_size_bytes", TableSettings::targetFileSizeBytes),
            Map.entry("write.target-file-size-bytes", TableSettings::targetFileSizeBytes),
            Map.entry("snowpack.min_input_files", TableSettings::minInputFiles),
            Map.entry("snowpack.delete_file_threshold", TableSettings::deleteFileThreshold),
            Map.entry("snowpack.rewrite_data_delete_file_threshold", TableSettings::rewriteDataDeleteFileThreshold),
            Map.entry("snowpack.rewrite_data_delete_ratio_threshold", TableSettings::rewriteDataDeleteRatioThreshold),
            Map.entry("snowpack.partial_progress_max_commits", TableSettings::partialProgressMaxCommits),
            Map.entry("snowpack.rewrite_data_rewrite_all", TableSettings::rewriteAll),
            Map.entry("snowpack.max_snapshot_age_days", TableSettings::maxSnapshotAge),
            Map.entry("history.expire.max-snapshot-age-ms", TableSettings::maxSnapshotAge),
            Map.entry("snowpack.min_snapshots_to_keep", TableSettings::minSnapshotsToKeep),
            Map.entry("history.expire.min-snapshots-to-keep", TableSettings::minSnapshotsToKeep),
            Map.entry("snowpack.orphan_file_age_days", TableSettings::orphanFileAge),
            Map.entry("snowpack.verify_after_commit", TableSettings::verifyAfterCommit),
            Map.entry("snowpack.rewrite_strategy", TableSettings::rewriteStrategy),
            Map.entry("snowpack.zorder_columns", TableSettings::zorderColumns),
            Map.entry("snowpack.colour", settings -> "-"));

    @ParameterizedTest(name = "{0}=\"{1}\" -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
        # property                                  | raw value                  | resolved             | problem reported (none when empty)
        snowpack.min_input_files                    | 3                          | 3                    |
        snowpack.min_input_files                    | " 3 "                      | 3                    |
        snowpack.min_input_files                    | "\t3\n"                    | 3                    |
        snowpack.min_input_files                    | +3                         | 3                    |
        snowpack.min_input_files                    | 007                        | 7                    |
        snowpack.min_input_files                    | 1                          | 1                    |
        snowpack.min_input_files                    | ""                         | 5                    | snowpack.min_input_files='' is not a whole number >= 1; using 5 instead
        snowpack.min_input_files                    | "  "                       | 5                    | snowpack.min_input_files='  ' is not a whole number >= 1; using 5 instead
        snowpack.min_input_files                    | 0                          | 5                    | snowpack.min_input_files='0' is not a whole number >= 1; using 5 instead
        snowpack.min_input_files                    | -1                         | 5                    | snowpack.min_input_files='-1' is not a whole number >= 1; using 5 instead
        snowpack.min_input_files                    | -99999999999999999999      | 5                    | snowpack.min_input_files='-99999999999999999999' is not a whole number >= 1; using 5 instead
        snowpack.min_input_files                    | abc                        | 5                    | snowpack.min_input_files='abc' is not a whole number >= 1; using 5 instead
        snowpack.min_input_files                    | 2.5                        | 5                    | snowpack.min_input_files='2.5' is not a whole number >= 1; using 5 instead
        snowpack.min_input_files                    | 1e3                        | 5                    | snowpack.min_input_files='1e3' is not a whole number >= 1; using 5 instead
        snowpack.min_input_files                    | 0x10                       | 5                    | snowpack.min_input_files='0x10' is not a whole number >= 1; using 5 instead
        snowpack.min_input_files                    | 1_000                      | 5                    | snowpack.min_input_files='1_000' is not a whole number >= 1; using 5 instead
        snowpack.min_input_files                    | "3 4"                      | 5                    | snowpack.min_input_files='3 4' is not a whole number >= 1; using 5 instead
        snowpack.min_input_files                    | +-3                        | 5                    | snowpack.min_input_files='+-3' is not a whole number >= 1; using 5 instead
        snowpack.min_input_files                    | ٣                          | 5                    | snowpack.min_input_files='٣' is not a whole number >= 1; using 5 instead
        snowpack.min_input_files                    | 2147483647                 | 2147483647           |
        snowpack.min_input_files                    | 2147483648                 | 2147483647           | snowpack.min_input_files='2147483648' is more than 2147483647; using 2147483647 instead
        snowpack.min_input_files                    | 99999999999                | 2147483647           | snowpack.min_input_files='99999999999' is more than 2147483647; using 2147483647 instead
        snowpack.min_input_files                    | 9223372036854775808        | 2147483647           | snowpack.min_input_files='9223372036854775808' is more than 2147483647; using 2147483647 instead
        snowpack.min_input_files                    | 12345678901234567890123456789012345678901234567890 | 2147483647 | snowpack.min_input_files='1234567890123456789012345678901234567...' is more than 2147483647; using 2147483647 instead
        snowpack.delete_file_threshold              | -1                         | 5                    | snowpack.delete_file_threshold='-1' is not a whole number >= 1; using 5 instead
        snowpack.rewrite_data_delete_file_threshold | 2.5                        | 2                    | snowpack.rewrite_data_delete_file_threshold='2.5' is not a whole number >= 1; using 2 instead
        snowpack.partial_progress_max_commits       | 99999999999                | 2147483647           | snowpack.partial_progress_max_commits='99999999999' is more than 2147483647; using 2147483647 instead
        snowpack.target_file_size_bytes             | 9223372036854775807        | 9223372036854775807  |
        snowpack.target_file_size_bytes             | 9223372036854775808        | 9223372036854775807  | snowpack.target_file_size_bytes='9223372036854775808' is more than 9223372036854775807; using 9223372036854775807 instead
        snowpack.target_file_size_bytes             | 0                          | 536870912            | snowpack.target_file_size_bytes='0' is not a whole number >= 1; using 536870912 instead
        write.target-file-size-bytes                | 1048576                    | 1048576              |
        write.target-file-size-bytes                | big                        | 536870912            | write.target-file-size-bytes='big' is not a whole number >= 1; using 536870912 instead
        snowpack.maintenance_cadence_hours          | 24                         | PT24H                |
        snowpack.maintenance_cadence_hours          | soon                       | PT6H                 | snowpack.maintenance_cadence_hours='soon' is not a whole number >= 1; using 6h instead
        snowpack.maintenance_cadence_hours          | 99999999999                | PT2147483647H        | snowpack.maintenance_cadence_hours='99999999999' is more than 2147483647; using 89478485d7h instead
        snowpack.max_snapshot_age_days              | 2                          | PT48H                |
        snowpack.max_snapshot_age_days              | five                       | PT120H               | snowpack.max_snapshot_age_days='five' is not a whole number >= 1; using 5d instead
        snowpack.max_snapshot_age_days              | 99999999999                | PT51539607528H       | snowpack.max_snapshot_age_days='99999999999' is more than 2147483647; using 2147483647d instead
        history.expire.max-snapshot-age-ms          | 86400000                   | PT24H                |
        history.expire.max-snapshot-age-ms          | -5                         | PT120H               | history.expire.max-snapshot-age-ms='-5' is not a whole number >= 1; using 5d instead
        history.expire.max-snapshot-age-ms          | 99999999999999999999       | PT2562047788015H12M55.807S | history.expire.max-snapshot-age-ms='99999999999999999999' is more than 9223372036854775807; using 106751991167d7h instead
        snowpack.min_snapshots_to_keep              | 10                         | 10                   |
        snowpack.min_snapshots_to_keep              | " "                        | 1                    | snowpack.min_snapshots_to_keep=' ' is not a whole number >= 1; using 1 instead
        snowpack.min_snapshots_to_keep              | 99999999999                | 2147483647           | snowpack.min_snapshots_to_keep='99999999999' is more than 2147483647; using 2147483647 instead
        history.expire.min-snapshots-to-keep        | 3                          | 3                    |
        history.expire.min-snapshots-to-keep        | abc                        | 1                    | history.expire.min-snapshots-to-keep='abc' is not a whole number >= 1; using 1 instead
        history.expire.min-snapshots-to-keep        | 0                          | 1                    | history.expire.min-snapshots-to-keep='0' is not a whole number >= 1; using 1 instead
        history.expire.min-snapshots-to-keep        | 99999999999                | 2147483647           | history.expire.min-snapshots-to-keep='99999999999' is more than 2147483647; using 2147483647 instead
        snowpack.orphan_file_age_days               | 0                          | PT72H                | snowpack.orphan_file_age_days='0' is not a whole number >= 1; using 3d instead
        snowpack.rewrite_data_delete_ratio_threshold | 0.25                      | 0.25                 |
        snowpack.rewrite_data_delete_ratio_threshold | " 1 "                     | 1.0                  |
        snowpack.rewrite_data_delete_ratio_threshold | .5                        | 0.5                  |
        snowpack.rewrite_data_delete_ratio_threshold | 0                         | 0.1                  | snowpack.rewrite_data_delete_ratio_threshold='0' is not a number in (0, 1]; using 0.1 instead
        snowpack.rewrite_data_delete_ratio_threshold | 1.5                       | 0.1                  | snowpack.rewrite_data_delete_ratio_threshold='1.5' is not a number in (0, 1]; using 0.1 instead
        snowpack.rewrite_data_delete_ratio_threshold | NaN                       | 0.1                  | snowpack.rewrite_data_delete_ratio_threshold='NaN' is not a number in (0, 1]; using 0.1 instead
        snowpack.rewrite_data_delete_ratio_threshold | 0.5f                      | 0.1                  | snowpack.rewrite_data_delete_ratio_threshold='0.5f' is not a number in (0, 1]; using 0.1 instead
        snowpack.rewrite_data_delete_ratio_threshold | ""                        | 0.1                  | snowpack.rewrite_data_delete_ratio_threshold='' is not a number in (0, 1]; using 0.1 instead
        snowpack.rewrite_data_rewrite_all           | TRUE                       | true                 |
        snowpack.rewrite_data_rewrite_all           | yes                        | false                | snowpack.rewrite_data_rewrite_all='yes' is neither true nor false; using false instead
        snowpack.verify_after_commit                | " true "                   | true                 |
        snowpack.verify_after_commit                | 1                          | false                | snowpack.verify_after_commit='1' is neither true nor false; using false instead
        snowpack.maintenance_enabled                | True                       | TRUE                 |
        snowpack.maintenance_enabled                | no                         | INVALID              | snowpack.maintenance_enabled='no' is neither true nor false; the table is not maintained
        snowpack.compaction_skip                    | maybe                      | INVALID              | snowpack.compaction_skip='maybe' is neither true nor false; the table is skipped
        snowpack.rewrite_strategy                   | sort                       | SORT                 |
        snowpack.rewrite_strategy                   | " ZOrder "                 | ZORDER               |
        snowpack.rewrite_strategy                   | binpack                    | BINPACK              |
        snowpack.rewrite_strategy                   | z-order                    | TABLE_DEFAULT        | snowpack.rewrite_strategy='z-order' is not binpack, sort or zorder; using the table default (sort when it has a sort order, else binpack) instead
        snowpack.rewrite_strategy                   | ""                         | TABLE_DEFAULT        | snowpack.rewrite_strategy='' is not binpack, sort or zorder; using the table default (sort when it has a sort order, else binpack) instead
        snowpack.zorder_columns                     | "id, kind"                 | [id, kind]           |
        snowpack.zorder_columns                     | " ts "                     | [ts]                 |
        snowpack.zorder_columns                     | "id,,kind"                 | [id, kind]           | snowpack.zorder_columns='id,,kind' has an empty column name; using [id, kind] instead
        snowpack.zorder_columns                     | " "                        | []                   | snowpack.zorder_columns=' ' has an empty column name; using [] instead
        snowpack.colour                             | blue                       | -                    | snowpack.colour: unknown snowpack property
        """)
    void resolvesEachPropertyByOneSetOfRules(String property, String raw, String resolved, String problem) {
        TableSettings settings = TableSettings.resolve(Map.of(property, raw == null ? "" : raw), CONFIG);

        assertThat(String.valueOf(SETTING.get(property).apply(settings))).isEqualTo(resolved);
        if (problem == null) {
            assertThat(settings.problems()).isEmpty();
        } else {
            assertThat(settings.problems()).containsExactly(problem);
        }
    }

    @Test
    void withoutPropertiesEverySettingIsItsDefaultAndNothingIsReported() {
        TableSettings settings = TableSettings.resolve(Map.of(), CONFIG);

        assertThat(settings).isEqualTo(new TableSettings(Flag.UNSET, Flag.UNSET, Duration.ofHours(6), 536870912L, 5,
                5, 2, 0.1, 10, false, Duration.ofDays(5), 1, Duration.ofDays(3), false, RewriteStrategy.TABLE_DEFAULT, List.of(),
                List.of()));
    }

    @Test
    void theSnowpackPropertyWinsAndTheIcebergOneIsReadOnlyWhenItIsUnsetOrUnusable() {
        assertThat(TableSettings.resolve(Map.of("snowpack.min_snapshots_to_keep", "4",
                "history.expire.min-snapshots-to-keep", "abc"), CONFIG))
                .as("an unread Iceberg property is not reported")
                .extracting(TableSettings::minSnapshotsToKeep, TableSettings::problems).containsExactly(4,
                        List.of());
        TableSettings badSnowpack = TableSettings.resolve(Map.of("snowpack.min_snapshots_to_keep", "many",
                "history.expire.min-snapshots-to-keep", "3"), CONFIG);
        assertThat(badSnowpack.minSnapshotsToKeep()).isEqualTo(3);
        assertThat(badSnowpack.problems()).containsExactly(
                "snowpack.min_snapshots_to_keep='many' is not a whole number >= 1; using 3 instead");
        TableSettings bothBad = TableSettings.resolve(Map.of("snowpack.max_snapshot_age_days", "0",
                "history.expire.max-snapshot-age-ms", "soon"), CONFIG);
        assertThat(bothBad.maxSnapshotAge()).isEqualTo(Duration.ofDays(5));
        assertThat(bothBad.problems()).containsExactlyInAnyOrder(
                "history.expire.max-snapshot-age-ms='soon' is not a whole number >= 1; using 5d instead",
                "snowpack.max_snapshot_age_days='0' is not a whole number >= 1; using 5d instead");
        assertThat(TableSettings.resolve(Map.of("snowpack.target_file_size_bytes", "1024",
                "write.target-file-size-bytes", "2048"), CONFIG).targetFileSizeBytes()).isEqualTo(1024);
    }

    @Test
    void configuredDefaultsAreTheLastSource() {
        SnowpackConfig config = SnowpackConfig.builder().maintenanceCadence(Duration.ofHours(2))
                .tableDefaults(TablePropertyDefaults.builder().minInputFiles(9).minSnapshotsToKeep(4).build()).build();

        TableSettings settings = TableSettings.resolve(Map.of("snowpack.min_input_files", "0",
                "snowpack.maintenance_cadence_hours", "x"), config);

        assertThat(settings.minInputFiles()).isEqualTo(9);
        assertThat(settings.minSnapshotsToKeep()).isEqualTo(4);
        assertThat(settings.cadence()).isEqualTo(Duration.ofHours(2));
        assertThat(settings.problems()).containsExactly(
                "snowpack.maintenance_cadence_hours='x' is not a whole number >= 1; using 2h instead",
                "snowpack.min_input_files='0' is not a whole number >= 1; using 9 instead");
    }
}
