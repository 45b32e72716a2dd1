package io.snowpack.iceberg;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Meters of verified maintenance: {@code snowpack.verification.failures{action,invariant}} counts broken
 * invariants, {@code snowpack.verification.duration{action,phase}} times the checks ({@code pre_commit},
 * {@code read_back}), {@code snowpack.verification.rollbacks{action,outcome}} counts read-back failures that were
 * rolled back ({@code rolled_back}) or left to a person ({@code alerted}).
 */
final class VerificationMetrics {
    private final MeterRegistry registry;

    VerificationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    VerificationFailedException failed(String action, VerificationFailedException failure) {
        Counter.builder("snowpack.verification.failures").description("Invariants a rewrite broke")
                .tag("action", action).tag("invariant", failure.invariant()).register(registry).increment();
        return failure;
    }

    void timed(String action, String phase, long nanos) {
        Timer.builder("snowpack.verification.duration")
                .description("Time spent verifying a rewrite before or after its commit, by action and phase")
                .tag("action", action).tag("phase", phase).register(registry).record(Duration.ofNanos(nanos));
    }

    void readBackFailed(String action, boolean rolledBack) {
        Counter.builder("snowpack.verification.rollbacks")
                .description("Read-back failures after a commit, rolled back or left to a person")
                .tag("action", action).tag("outcome", rolledBack ? "rolled_back" : "alerted").register(registry)
                .increment();
    }
}
