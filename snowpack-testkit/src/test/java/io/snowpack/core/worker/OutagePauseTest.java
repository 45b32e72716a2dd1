package io.snowpack.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pause in claiming while the catalog or object store cannot be reached, on a clock the test moves. */
class OutagePauseTest {
    private final AtomicLong nanos = new AtomicLong(42);
    private final OutagePause pause = new OutagePause(Duration.ofSeconds(30), nanos::get);

    private void pass(Duration time) {
        nanos.addAndGet(time.toNanos());
    }

    @Test
    void noPauseUntilAServiceIsUnreachable() {
        assertThat(pause.remaining()).isZero();
        pause.reachable("job done");
        assertThat(pause.remaining()).isZero();
    }

    @Test
    void thePauseStartsAtOneSecondDoublesAndStopsAtTheCap() {
        assertThat(pause.unreachable("refused")).isEqualTo(OutagePause.FIRST);
        assertThat(pause.unreachable("refused")).isEqualTo(Duration.ofSeconds(2));
        assertThat(pause.unreachable("refused")).isEqualTo(Duration.ofSeconds(4));
        assertThat(pause.unreachable("refused")).isEqualTo(Duration.ofSeconds(8));
        assertThat(pause.unreachable("refused")).isEqualTo(Duration.ofSeconds(16));
        assertThat(pause.unreachable("refused")).isEqualTo(Duration.ofSeconds(30));
        assertThat(pause.unreachable("refused")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void claimsWaitUntilThePauseIsOver() {
        pause.unreachable("refused");
        pause.unreachable("refused");

        assertThat(pause.remaining()).isEqualTo(Duration.ofSeconds(2));
        pass(Duration.ofMillis(1500));
        assertThat(pause.remaining()).isEqualTo(Duration.ofMillis(500));
        pass(Duration.ofMillis(500));
        assertThat(pause.remaining()).isZero();
    }

    @Test
    void anOutcomeThatShowsTheServicesAnswerEndsThePauseAndTheNextOneStartsOver() {
        pause.unreachable("refused");
        pause.unreachable("refused");

        pause.reachable("job completed");

        assertThat(pause.remaining()).isZero();
        assertThat(pause.unreachable("refused again")).isEqualTo(OutagePause.FIRST);
    }

    @Test
    void aCapBelowOneSecondIsUsedFromTheFirstPauseAndANonPositiveCapIsRefused() {
        OutagePause brief = new OutagePause(Duration.ofMillis(300), nanos::get);
        assertThat(brief.unreachable("refused")).isEqualTo(Duration.ofMillis(300));
        assertThatThrownBy(() -> new OutagePause(Duration.ZERO, nanos::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
