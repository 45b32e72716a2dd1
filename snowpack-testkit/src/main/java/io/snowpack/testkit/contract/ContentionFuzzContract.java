package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.testkit.LockAndClaimFuzz;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A short lock-and-claim fuzz on every backend: never two holders, never a double claim, every bad fence refused. */
public abstract class ContentionFuzzContract extends StoreContractSupport {

    @Test
    void eightThreadsForThreeSecondsBreakNoInvariant() throws InterruptedException {
        LockAndClaimFuzz.Report report = LockAndClaimFuzz.run(store, 8, Duration.ofSeconds(3));

        assertThat(report.violations()).isEmpty();
        assertThat(report.acquisitions()).isPositive();
        assertThat(report.claims()).isPositive();
        assertThat(report.corruptedWrites()).isPositive().isEqualTo(report.refusedCorruptedWrites());
    }
}
