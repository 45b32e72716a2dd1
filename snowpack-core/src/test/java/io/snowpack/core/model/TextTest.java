package io.snowpack.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one abbreviation every message uses. */
class TextTest {
    @Test
    void keepsShortValuesAndCutsLongOnesToTheLimit() {
        assertThat(Text.abbreviate("x".repeat(80))).isEqualTo("x".repeat(80));
        assertThat(Text.abbreviate("x".repeat(81))).isEqualTo("x".repeat(77) + "...").hasSize(80);
        assertThat(Text.abbreviate("abcdef", 5)).isEqualTo("ab...");
        assertThat(Text.abbreviate(null)).isEqualTo("null");
        assertThatThrownBy(() -> Text.abbreviate("abc", 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
