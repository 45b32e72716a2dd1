package io.snowpack.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingTest {

    @Test
    void keysAndEnvironmentNamesAreUniqueAndDerivedFromTheKey() {
        assertThat(Arrays.stream(Setting.values()).map(Setting::key)).doesNotHaveDuplicates()
                .allMatch(key -> key.matches("[a-z_]+\\.[a-z_]+"));
        assertThat(Arrays.stream(Setting.values()).flatMap(s -> s.environmentNames().stream()))
                .doesNotHaveDuplicates();
        assertThat(Setting.HEALTH_SYNC_CONCURRENCY.environmentNames())
                .containsExactly("SNOWPACK_HEALTH_SYNC_CONCURRENCY");
        assertThat(Setting.ORCHESTRATOR_INCLUDE_DATABASES.environmentNames())
                .containsExactly("SNOWPACK_ORCHESTRATOR_INCLUDE_DATABASES");
        assertThat(Setting.DRAIN_MODE.environmentNames())
                .containsExactly("SNOWPACK_API_DRAIN_MODE", "SNOWPACK_DRAIN_MODE");
        for (Setting setting : Setting.values()) {
            assertThat(setting.environmentNames().get(0)).isEqualTo(Setting.environmentName(setting.key()));
        }
    }

    @Test
    void everySettingHasASampleAndReadsBackWhatWasBound() {
        Map<Setting, String> samples = SettingSamples.nonDefaultText();
        assertThat(samples.keySet()).as("a sample for every setting").containsExactlyInAnyOrder(Setting.values());

        SnowpackConfig config = SettingSamples.nonDefaultConfig();

        for (Setting setting : Setting.values()) {
            assertThat(setting.read(config)).as(setting.key()).isEqualTo(samples.get(setting))
                    .isNotEqualTo(setting.read(SnowpackConfig.defaults()));
        }
    }

    @Test
    void everyDefaultReadsBackThroughItsOwnText() {
        SnowpackConfig defaults = SnowpackConfig.defaults();
        for (Setting setting : Setting.values()) {
            SnowpackConfig parsed = SnowpackConfig.fromProperties(Map.of(setting.key(), setting.read(defaults)));
            assertThat(parsed).as(setting.key()).isEqualTo(defaults);
        }
    }

    @Test
    void describeSettingsIsAMarkdownRowPerSetting() {
        String table = SnowpackConfig.describeSettings();

        assertThat(table.lines().toList()).hasSize(Setting.values().length + 2)
                .startsWith("| key | environment variable | default | meaning |", "|---|---|---|---|")
                .allMatch(line -> line.startsWith("|") && line.endsWith("|"));
        assertThat(table.lines().skip(2)).allMatch(row -> row.startsWith("| `") && row.split(" \\| ").length == 4);
        assertThat(table)
                .contains("| `health_sync.concurrency` | `SNOWPACK_HEALTH_SYNC_CONCURRENCY` | `10` | ")
                .contains("| `health_sync.databases` | `SNOWPACK_HEALTH_SYNC_DATABASES` | (empty) | ")
                .contains("| `api.drain_mode` | `SNOWPACK_API_DRAIN_MODE`, `SNOWPACK_DRAIN_MODE` | `false` | ")
                .contains("| `sweeper.job_retention` | `SNOWPACK_SWEEPER_JOB_RETENTION` | `90d` | ")
                .contains("| `defaults.rewrite_data_delete_ratio_threshold` | "
                        + "`SNOWPACK_DEFAULTS_REWRITE_DATA_DELETE_RATIO_THRESHOLD` | `0.1` | ");
        for (Setting setting : Setting.values()) {
            assertThat(table).contains("| `" + setting.key() + "` | `" + setting.environmentNames().get(0) + "`");
        }
    }
}
