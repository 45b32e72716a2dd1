package io.snowpack.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The three {@code executor.*} settings: parsed from properties and variables, refused naming the key. */
class ExecutorSettingsTest {

    @Test
    void propertiesSetAllThree() {
        SnowpackConfig config = SnowpackConfig.fromProperties(Map.of(
                "executor.spark_enabled", "TRUE",
                "snowpack.executor.default", " Local ",
                "executor.spark_threshold_bytes", "1"));

        assertThat(config.executorSparkEnabled()).isTrue();
        assertThat(config.executorDefault()).isEqualTo(ExecutorMode.LOCAL);
        assertThat(config.executorSparkThresholdBytes()).isEqualTo(1);
        assertThat(config.toString()).contains("executor.spark_enabled=true, executor.default=local, "
                + "executor.spark_threshold_bytes=1");
    }

    @Test
    void variablesDerivedFromTheKeysSetAllThree() {
        SnowpackConfig config = SnowpackConfig.fromEnvironment(Map.of(
                "SNOWPACK_EXECUTOR_SPARK_ENABLED", "true",
                "SNOWPACK_EXECUTOR_DEFAULT", "spark",
                "SNOWPACK_EXECUTOR_SPARK_THRESHOLD_BYTES", "9223372036854775807"));

        assertThat(config.executorSparkEnabled()).isTrue();
        assertThat(config.executorDefault()).isEqualTo(ExecutorMode.SPARK);
        assertThat(config.executorSparkThresholdBytes()).isEqualTo(Long.MAX_VALUE);
        assertThat(Setting.EXECUTOR_SPARK_ENABLED.environmentNames())
                .containsExactly("SNOWPACK_EXECUTOR_SPARK_ENABLED");
    }

    @Test
    void theDefaultsAreDocumented() {
        assertThat(SnowpackConfig.describeSettings())
                .contains("| `executor.spark_enabled` | `SNOWPACK_EXECUTOR_SPARK_ENABLED` | `false` | ")
                .contains("| `executor.default` | `SNOWPACK_EXECUTOR_DEFAULT` | `auto` | ")
                .contains("| `executor.spark_threshold_bytes` | `SNOWPACK_EXECUTOR_SPARK_THRESHOLD_BYTES` | "
                        + "`1099511627776` | ");
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of("executor.spark_enabled", "yes")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value 'yes' for executor.spark_enabled: expected true or false")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key())
                        .isEqualTo("executor.spark_enabled"));
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of("executor.default", "hadoop")))
                .hasMessage("Invalid value 'hadoop' for executor.default: expected local, spark or auto");
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of("executor.default", "")))
                .hasMessage("Invalid value '' for executor.default: expected local, spark or auto");
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of("executor.spark_threshold_bytes", "0")))
                .hasMessage("Invalid value '0' for executor.spark_threshold_bytes: expected a whole number >= 1");
        assertThatThrownBy(() -> SnowpackConfig.fromProperties(Map.of("executor.spark_threshold_bytes", "1TiB")))
                .hasMessageStartingWith("Invalid value '1TiB' for executor.spark_threshold_bytes: expected a whole "
                        + "number");
        assertThatThrownBy(() -> SnowpackConfig.fromEnvironment(Map.of("SNOWPACK_EXECUTOR_DEFAULT", "Sparky")))
                .hasMessage("Invalid value 'Sparky' for SNOWPACK_EXECUTOR_DEFAULT: expected local, spark or auto")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo("executor.default"));
    }

    @Test
    void executorModesAreReadByWireNameInAnyCase() {
        assertThat(ExecutorMode.of(" SPARK ")).contains(ExecutorMode.SPARK);
        assertThat(ExecutorMode.of("Auto")).contains(ExecutorMode.AUTO);
        assertThat(ExecutorMode.of("local")).contains(ExecutorMode.LOCAL);
        assertThat(ExecutorMode.of("spark-cluster")).isEmpty();
        assertThat(ExecutorMode.of("")).isEmpty();
        assertThat(ExecutorMode.of(null)).isEmpty();
        assertThat(ExecutorMode.AUTO).hasToString("auto");
    }
}
