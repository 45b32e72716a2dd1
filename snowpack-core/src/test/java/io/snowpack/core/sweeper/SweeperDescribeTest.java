package io.snowpack.core.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sweeper names the durations it acts on in words an operator reads at a glance, never "0 minutes". */
class SweeperDescribeTest {
    @Test
    void durationsReadNaturally() {
        assertThat(Sweeper.describe(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(Sweeper.describe(Duration.ofMinutes(30).plusSeconds(30))).isEqualTo("30 min 30 s");
        assertThat(Sweeper.describe(Duration.ofHours(2))).isEqualTo("2 h");
        assertThat(Sweeper.describe(Duration.ofHours(1).plusMinutes(5))).isEqualTo("1 h 5 min");
    }
}
