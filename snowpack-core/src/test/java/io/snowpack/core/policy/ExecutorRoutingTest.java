package io.snowpack.core.policy;

import static io.snowpack.core.policy.ExecutorKind.LOCAL;
import static io.snowpack.core.policy.ExecutorKind.SPARK;
import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.ExecutorMode;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every rule of {@link ExecutorRouting}, with the exact reason each one gives. */
class ExecutorRoutingTest {
    private static final TableId EVENTS = TableId.of("sales", "events");
    private static final long TIB = 1L << 40;
    private static final long GIB = 1L << 30;
    private static final SnowpackConfig SPARK_ENABLED = SnowpackConfig.builder().executorSparkEnabled(true).build();
    private static final String NO_SPARK = "executor.spark_enabled=false: this deployment has no Spark executor";

    private static TableHealth health(long totalBytes, Map<String, String> properties) {
        return TableHealth.builder(EVENTS).totalBytes(totalBytes).properties(properties)
                .syncedAt(Instant.parse("2026-11-30T00:00:00Z")).build();
    }

    private static ExecutorRoute route(SnowpackConfig config, long totalBytes, Map<String, String> properties) {
        return ExecutorRouting.of(config).route(health(totalBytes, properties));
    }

    private static Map<String, String> executor(String value) {
        return Map.of(TableProperties.EXECUTOR, value);
    }

    @Test
    void theDefaultDeploymentRunsEveryTableLocallyAndSaysWhy() {
        ExecutorRouting routing = ExecutorRouting.of(SnowpackConfig.defaults());

        assertThat(routing.sparkEnabled()).isFalse();
        assertThat(routing.route(health(5 * TIB, Map.of())))
                .isEqualTo(new ExecutorRoute(LOCAL, "executor: local (" + NO_SPARK + ")"));
        assertThat(routing.route(health(5 * TIB, executor("auto"))))
                .isEqualTo(new ExecutorRoute(LOCAL, "executor: local (" + NO_SPARK + ")"));
        assertThat(routing.route(health(0, executor("local"))))
                .isEqualTo(new ExecutorRoute(LOCAL, "executor: local (" + NO_SPARK + ")"));
    }

    @Test
    void withoutSparkATableThatAsksForSparkIsToldItCannotBeHonouredHere() {
        assertThat(route(SnowpackConfig.defaults(), 0, executor(" Spark ")))
                .isEqualTo(new ExecutorRoute(LOCAL, "executor: local (" + NO_SPARK
                        + "; the table's snowpack.executor=spark cannot be honoured here)"));
        assertThat(route(SnowpackConfig.builder().executorDefault(ExecutorMode.SPARK).build(), 0, Map.of()))
                .isEqualTo(new ExecutorRoute(LOCAL, "executor: local (" + NO_SPARK
                        + "; executor.default=spark cannot be honoured here)"));
    }

    @Test
    void withoutSparkABadValueIsStillNamed() {
        assertThat(route(SnowpackConfig.defaults(), 0, executor("fast")).reason()).isEqualTo("executor: local ("
                + NO_SPARK + "; snowpack.executor='fast' is not local, spark or auto)");
    }

    @Test
    void anExplicitLocalOrSparkIsObeyedWhateverTheSize() {
        assertThat(route(SPARK_ENABLED, 100 * TIB, executor("local")))
                .isEqualTo(new ExecutorRoute(LOCAL, "executor: local (snowpack.executor=local)"));
        assertThat(route(SPARK_ENABLED, 0, executor("SPARK")))
                .isEqualTo(new ExecutorRoute(SPARK, "executor: spark (snowpack.executor=spark)"));
    }

    @Test
    void anUnsetPropertyTakesTheDefault() {
        SnowpackConfig local = SPARK_ENABLED.toBuilder().executorDefault(ExecutorMode.LOCAL).build();
        SnowpackConfig spark = SPARK_ENABLED.toBuilder().executorDefault(ExecutorMode.SPARK).build();

        assertThat(route(local, 100 * TIB, Map.of())).isEqualTo(new ExecutorRoute(LOCAL,
                "executor: local (executor.default=local, snowpack.executor not set)"));
        assertThat(route(spark, 0, Map.of())).isEqualTo(new ExecutorRoute(SPARK,
                "executor: spark (executor.default=spark, snowpack.executor not set)"));
    }

    @Test
    void autoSendsLargeTablesToSparkAndGivesBothSizes() {
        long large = (long) (2.1 * TIB) + 1;
        long small = (long) (3.2 * GIB) + 1;

        assertThat(route(SPARK_ENABLED, large, Map.of())).isEqualTo(new ExecutorRoute(SPARK,
                "executor: spark (auto: 2.1 TiB of data >= executor.spark_threshold_bytes 1.0 TiB; "
                        + "executor.default=auto, snowpack.executor not set)"));
        assertThat(route(SPARK_ENABLED, small, Map.of())).isEqualTo(new ExecutorRoute(LOCAL,
                "executor: local (auto: 3.2 GiB of data < executor.spark_threshold_bytes 1.0 TiB; "
                        + "executor.default=auto, snowpack.executor not set)"));
        assertThat(route(SPARK_ENABLED, small, executor("AUTO"))).isEqualTo(new ExecutorRoute(LOCAL,
                "executor: local (auto: 3.2 GiB of data < executor.spark_threshold_bytes 1.0 TiB; "
                        + "snowpack.executor=auto)"));
    }

    @Test
    void anExplicitAutoOverridesAnotherDefault() {
        SnowpackConfig local = SPARK_ENABLED.toBuilder().executorDefault(ExecutorMode.LOCAL).build();

        assertThat(route(local, 2 * TIB, executor("auto")).executor()).isEqualTo(SPARK);
    }

    @Test
    void exactlyTheThresholdGoesToSparkAndOneByteLessStaysLocal() {
        SnowpackConfig config = SPARK_ENABLED.toBuilder().executorSparkThresholdBytes(5 * GIB).build();

        ExecutorRoute at = route(config, 5 * GIB, Map.of());
        ExecutorRoute below = route(config, 5 * GIB - 1, Map.of());

        assertThat(at.executor()).isEqualTo(SPARK);
        assertThat(at.reason()).startsWith("executor: spark (auto: 5.0 GiB of data >= executor.spark_threshold_bytes "
                + "5.0 GiB;");
        assertThat(below.executor()).isEqualTo(LOCAL);
        assertThat(below.reason()).as("truncated, never rounded up to the threshold's figure")
                .startsWith("executor: local (auto: 4.9 GiB of data < executor.spark_threshold_bytes 5.0 GiB;");
        SnowpackConfig odd = SPARK_ENABLED.toBuilder().executorSparkThresholdBytes(5 * GIB + 100).build();
        assertThat(route(odd, 5 * GIB + 1, Map.of()).reason()).as("sizes that read the same are given in bytes")
                .startsWith("executor: local (auto: 5368709121 bytes of data < executor.spark_threshold_bytes "
                        + "5368709220 bytes;");
        assertThat(route(SPARK_ENABLED, TIB, Map.of()).executor()).isEqualTo(SPARK);
        assertThat(route(SPARK_ENABLED, TIB - 1, Map.of()).reason())
                .startsWith("executor: local (auto: 1023.9 GiB of data < executor.spark_threshold_bytes 1.0 TiB;");
    }

    @Test
    void theSmallestThresholdSendsEveryNonEmptyTableToSpark() {
        SnowpackConfig config = SPARK_ENABLED.toBuilder().executorSparkThresholdBytes(1).build();

        assertThat(route(config, 1, Map.of()).reason()).startsWith(
                "executor: spark (auto: 1 B of data >= executor.spark_threshold_bytes 1 B;");
        assertThat(route(config, 0, Map.of()).executor()).isEqualTo(LOCAL);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(value = {"fast", "''", "'  '", "'spark,local'", "locale", "1"}, quoteCharacter = '\'')
    void anUnusableValueFallsBackToTheDefaultAndIsNamed(String value) {
        SnowpackConfig sparkDefault = SPARK_ENABLED.toBuilder().executorDefault(ExecutorMode.SPARK).build();

        ExecutorRoute auto = route(SPARK_ENABLED, 0, executor(value));
        ExecutorRoute spark = route(sparkDefault, 0, executor(value));

        assertThat(auto).isEqualTo(new ExecutorRoute(LOCAL, "executor: local (auto: 0 B of data < "
                + "executor.spark_threshold_bytes 1.0 TiB; snowpack.executor='" + value
                + "' is not local, spark or auto; using executor.default=auto instead)"));
        assertThat(spark).isEqualTo(new ExecutorRoute(SPARK, "executor: spark (snowpack.executor='" + value
                + "' is not local, spark or auto; using executor.default=spark instead)"));
    }

    @Test
    void aLongBadValueIsQuotedShort() {
        String value = "x".repeat(500);

        assertThat(route(SPARK_ENABLED, 0, executor(value)).reason())
                .contains("snowpack.executor='" + "x".repeat(37) + "...' is not local, spark or auto")
                .hasSizeLessThan(250);
    }

    @Test
    void anUnusableValueIsAlsoAPropertyProblemOfTheTable() {
        TableSettings settings = TableSettings.resolve(executor("fast"), SnowpackConfig.defaults());
        TableSettings fine = TableSettings.resolve(executor(" Spark"), SnowpackConfig.defaults());

        assertThat(settings.problems())
                .containsExactly("snowpack.executor='fast' is not local, spark or auto; using auto instead");
        assertThat(fine.problems()).as("a known key with a usable value").isEmpty();
        assertThat(TableProperties.KNOWN).contains(TableProperties.EXECUTOR);
    }

    @Test
    void everyReasonIsOneSentenceNamingTheExecutorChosen() {
        for (SnowpackConfig config : List.of(SnowpackConfig.defaults(), SPARK_ENABLED)) {
            for (Map<String, String> properties : List.of(Map.<String, String>of(), executor("local"),
                    executor("spark"), executor("auto"), executor("?"))) {
                for (long bytes : new long[] {0, GIB, 3 * TIB, Long.MAX_VALUE}) {
                    ExecutorRoute route = route(config, bytes, properties);
                    assertThat(route.reason()).startsWith("executor: " + route.executor().wireName() + " (")
                            .endsWith(")").doesNotContain("\n");
                }
            }
        }
    }

    @Test
    void bytesAreShownInBinaryUnitsTruncatedToOneDecimal() {
        assertThat(Bytes.human(0)).isEqualTo("0 B");
        assertThat(Bytes.human(1023)).isEqualTo("1023 B");
        assertThat(Bytes.human(1024)).isEqualTo("1.0 KiB");
        assertThat(Bytes.human(1536)).isEqualTo("1.5 KiB");
        assertThat(Bytes.human(GIB - 1)).isEqualTo("1023.9 MiB");
        assertThat(Bytes.human(TIB)).isEqualTo("1.0 TiB");
        assertThat(Bytes.human(Long.MAX_VALUE)).isEqualTo("7.9 EiB");
    }

    @Test
    void wireNamesAreLowerCase() {
        assertThat(LOCAL.wireName()).isEqualTo("local");
        assertThat(SPARK.wireName()).isEqualTo("spark");
    }
}
