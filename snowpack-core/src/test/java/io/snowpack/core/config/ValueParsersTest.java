package io.snowpack.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueParsersTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S", "30s, PT30S", "15m, PT15M", "2h, PT2H", "90d, PT2160H", "0, PT0S", "0s, PT0S",
        "PT30M, PT30M", "pt30m, PT30M", "P1DT2H, PT26H", "' 15m ', PT15M", "PT0.25S, PT0.25S"})
    void durationsAcceptUnitsIso8601AndABareZero(String raw, String expected) {
        assertThat(ValueParsers.parseDuration("k", raw)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "30 minutes", "30 s", "-5s", "1.5h", "15M", "2w", "PT", "P", "", "00", "s",
        "99999999999999999999d", "106751991167301d"})
    void anythingElseNamesTheKeyAndTheAcceptedFormats(String raw) {
        assertThatThrownBy(() -> ValueParsers.parseDuration("sweeper.interval", raw))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value '" + raw + "' for sweeper.interval: expected a duration: 0, a whole number"
                        + " with a unit ms, s, m, h or d (500ms, 30s, 15m, 2h, 90d), or ISO-8601 (PT30M)")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo("sweeper.interval"));
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 0", "PT0.5S, 500ms", "PT30S, 30s", "PT15M, 15m", "PT2H, 2h", "PT2160H, 90d", "PT1M30S, 90s",
        "PT1.0005S, PT1.0005S", "PT-5S, PT-5S"})
    void durationsAreWrittenAsTheShortestTextThatReadsBack(String iso, String text) {
        Duration value = Duration.parse(iso);

        assertThat(ValueParsers.formatDuration(value)).isEqualTo(text);
        assertThat(ValueParsers.parseDuration("k", text)).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource({"true, true", "TRUE, true", "' True ', true", "false, false", "False, false"})
    void booleansAreOnlyTrueOrFalse(String raw, boolean expected) {
        assertThat(ValueParsers.parseBoolean("api.drain_mode", raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "1", "0", "on", "", "t"})
    void otherBooleanSpellingsAreRefused(String raw) {
        assertThatThrownBy(() -> ValueParsers.parseBoolean("api.drain_mode", raw))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value '" + raw + "' for api.drain_mode: expected true or false");
    }

    @Test
    void listsAreCommaSeparatedTrimmedAndSkipEmptyEntries() {
        assertThat(ValueParsers.parseList(" b, a ,,c,")).containsExactly("b", "a", "c");
        assertThat(ValueParsers.parseList("")).isEmpty();
        assertThat(ValueParsers.parseList(" , ")).isEmpty();
    }

    @Test
    void numbersMustBeWholeOrDecimalAsAsked() {
        assertThat(ValueParsers.parseInt("k", " 42 ")).isEqualTo(42);
        assertThat(ValueParsers.parseLong("k", "536870912000")).isEqualTo(536_870_912_000L);
        assertThat(ValueParsers.parseDouble("k", ".5")).isEqualTo(0.5);
        assertThat(ValueParsers.parseDouble("k", "1e-1")).isEqualTo(0.1);

        assertThatThrownBy(() -> ValueParsers.parseInt("worker.max_attempts", "2.5"))
                .hasMessageStartingWith("Invalid value '2.5' for worker.max_attempts: expected a whole number");
        assertThatThrownBy(() -> ValueParsers.parseInt("worker.max_attempts", "3000000000"))
                .hasMessageContaining("'3000000000'").hasMessageContaining("2147483647");
        assertThatThrownBy(() -> ValueParsers.parseLong("k", "512MiB")).hasMessageContaining("'512MiB'");
        assertThatThrownBy(() -> ValueParsers.parseDouble("k", "NaN")).hasMessageContaining("'NaN'");
        assertThatThrownBy(() -> ValueParsers.parseDouble("k", "0.2d")).hasMessageContaining("'0.2d'");
        assertThatThrownBy(() -> ValueParsers.parseDouble("k", "0x1p3")).hasMessageContaining("'0x1p3'");
    }

    @Test
    void decimalsAreWrittenWithoutNeedlessZeros() {
        assertThat(ValueParsers.formatDouble(0.1)).isEqualTo("0.1");
        assertThat(ValueParsers.formatDouble(1.0)).isEqualTo("1");
        assertThat(ValueParsers.formatDouble(0.0)).isEqualTo("0");
        assertThat(ValueParsers.formatDouble(1e-9)).isEqualTo("0.000000001");
        assertThat(ValueParsers.formatDouble(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void hugeValuesAreShortenedInMessages() {
        String huge = "x".repeat(10_000);

        assertThatThrownBy(() -> ValueParsers.parseBoolean("api.drain_mode", huge))
                .hasMessage("Invalid value '" + "x".repeat(77) + "...' for api.drain_mode: expected true or false");
    }
}
