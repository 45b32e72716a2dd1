package io.snowpack.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidConfigurationException;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TablePropertyDefaultsTest {

    @Test
    void defaultsAreTheDocumentedValues() {
        TablePropertyDefaults defaults = TablePropertyDefaults.defaults();

        assertThat(defaults.targetFileSizeBytes()).isEqualTo(512L * 1024 * 1024)
                .isEqualTo(TablePropertyDefaults.DEFAULT_TARGET_FILE_SIZE_BYTES);
        assertThat(defaults.minInputFiles()).isEqualTo(5).isEqualTo(TablePropertyDefaults.DEFAULT_MIN_INPUT_FILES);
        assertThat(defaults.deleteFileThreshold()).isEqualTo(5)
                .isEqualTo(TablePropertyDefaults.DEFAULT_DELETE_FILE_THRESHOLD);
        assertThat(defaults.rewriteDataDeleteFileThreshold()).isEqualTo(2)
                .isEqualTo(TablePropertyDefaults.DEFAULT_REWRITE_DATA_DELETE_FILE_THRESHOLD);
        assertThat(defaults.rewriteDataDeleteRatioThreshold()).isEqualTo(0.10)
                .isEqualTo(TablePropertyDefaults.DEFAULT_REWRITE_DATA_DELETE_RATIO_THRESHOLD);
        assertThat(defaults.partialProgressMaxCommits()).isEqualTo(10)
                .isEqualTo(TablePropertyDefaults.DEFAULT_PARTIAL_PROGRESS_MAX_COMMITS);
        assertThat(defaults.rewriteDataRewriteAll()).isFalse()
                .isEqualTo(TablePropertyDefaults.DEFAULT_REWRITE_DATA_REWRITE_ALL);
        assertThat(defaults.maxSnapshotAgeDays()).isEqualTo(5)
                .isEqualTo(TablePropertyDefaults.DEFAULT_MAX_SNAPSHOT_AGE_DAYS);
        assertThat(defaults.minSnapshotsToKeep()).isEqualTo(1)
                .isEqualTo(TablePropertyDefaults.DEFAULT_MIN_SNAPSHOTS_TO_KEEP);
        assertThat(defaults.orphanFileAgeDays()).isEqualTo(3)
                .isEqualTo(TablePropertyDefaults.DEFAULT_ORPHAN_FILE_AGE_DAYS);
        assertThat(TablePropertyDefaults.builder().build()).isEqualTo(defaults);
    }

    @Test
    void toBuilderRoundTripsEveryValue() {
        TablePropertyDefaults changed = TablePropertyDefaults.builder()
                .targetFileSizeBytes(1).minInputFiles(2).deleteFileThreshold(3).rewriteDataDeleteFileThreshold(4)
                .rewriteDataDeleteRatioThreshold(1.0).partialProgressMaxCommits(6).rewriteDataRewriteAll(true)
                .maxSnapshotAgeDays(8).minSnapshotsToKeep(9).orphanFileAgeDays(1).build();

        assertThat(changed.toBuilder().build()).isEqualTo(changed).isNotEqualTo(TablePropertyDefaults.defaults());
        assertThat(changed.rewriteDataRewriteAll()).isTrue();
    }

    static Stream<Arguments> valuesOutOfRange() {
        return Stream.of(
                Arguments.of("defaults.target_file_size_bytes", "'0'",
                        (UnaryOperator<TablePropertyDefaults.Builder>) b -> b.targetFileSizeBytes(0)),
                Arguments.of("defaults.min_input_files", "'0'",
                        (UnaryOperator<TablePropertyDefaults.Builder>) b -> b.minInputFiles(0)),
                Arguments.of("defaults.delete_file_threshold", "'-1'",
                        (UnaryOperator<TablePropertyDefaults.Builder>) b -> b.deleteFileThreshold(-1)),
                Arguments.of("defaults.rewrite_data_delete_file_threshold", "'0'",
                        (UnaryOperator<TablePropertyDefaults.Builder>) b -> b.rewriteDataDeleteFileThreshold(0)),
                Arguments.of("defaults.rewrite_data_delete_ratio_threshold", "'0'",
                        (UnaryOperator<TablePropertyDefaults.Builder>) b -> b.rewriteDataDeleteRatioThreshold(0)),
                Arguments.of("defaults.rewrite_data_delete_ratio_threshold", "'1.01'",
                        (UnaryOperator<TablePropertyDefaults.Builder>) b -> b.rewriteDataDeleteRatioThreshold(1.01)),
                Arguments.of("defaults.partial_progress_max_commits", "'0'",
                        (UnaryOperator<TablePropertyDefaults.Builder>) b -> b.partialProgressMaxCommits(0)),
                Arguments.of("defaults.max_snapshot_age_days", "'0'",
                        (UnaryOperator<TablePropertyDefaults.Builder>) b -> b.maxSnapshotAgeDays(0)),
                Arguments.of("defaults.min_snapshots_to_keep", "'0'",
                        (UnaryOperator<TablePropertyDefaults.Builder>) b -> b.minSnapshotsToKeep(0)),
                Arguments.of("defaults.orphan_file_age_days", "'0'",
                        (UnaryOperator<TablePropertyDefaults.Builder>) b -> b.orphanFileAgeDays(0)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("valuesOutOfRange")
    void valuesOutOfRangeAreRefused(String key, String shownValue, UnaryOperator<TablePropertyDefaults.Builder> set) {
        assertThatThrownBy(() -> set.apply(TablePropertyDefaults.builder()).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("Invalid value " + shownValue + " for " + key + ": expected ")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo(key));
    }

    @Test
    void orphanFilesAreNeverRemovedYoungerThanADay() {
        assertThatThrownBy(() -> TablePropertyDefaults.builder().orphanFileAgeDays(0).build())
                .hasMessage("Invalid value '0' for defaults.orphan_file_age_days: expected a whole number >= 1");
        assertThatThrownBy(() -> new TablePropertyDefaults(1, 1, 1, 1, 0.5, 1, false, 1, 1, 0))
                .as("the canonical constructor checks too")
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void theConfigurationCarriesTheTableDefaults() {
        TablePropertyDefaults defaults = TablePropertyDefaults.builder().minInputFiles(9).build();

        assertThat(SnowpackConfig.builder().tableDefaults(defaults).build().tableDefaults()).isEqualTo(defaults);
        assertThat(SnowpackConfig.fromEnvironment(java.util.Map.of("SNOWPACK_DEFAULTS_MIN_INPUT_FILES", "9"))
                .tableDefaults()).isEqualTo(defaults);
    }
}
