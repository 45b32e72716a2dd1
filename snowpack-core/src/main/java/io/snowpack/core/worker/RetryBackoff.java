package io.snowpack.core.worker;

import io.snowpack.core.config.SnowpackConfig;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with jitter: attempt {@code n} waits {@code min(cap, base * 2^(n-1))}, shortened by
 * a random fraction of at most {@code jitter}, so retries of many jobs spread out and never exceed the cap.
 */
final class RetryBackoff {
    private final Duration base;
    private final Duration cap;
    private final double jitter;
    private final DoubleSupplier random;

    RetryBackoff(SnowpackConfig config, DoubleSupplier random) {
        this.base = config.retryBackoffBase();
        this.cap = config.retryBackoffCap();
        this.jitter = config.retryJitter();
        this.random = random;
    }

    /** The delay before attempt {@code failedAttempt + 1}. */
    Duration delayAfter(int failedAttempt) {
        int doublings = Math.max(0, Math.min(failedAttempt - 1, 40));
        long capMillis = cap.toMillis();
        long millis = base.toMillis();
        for (int i = 0; i < doublings && millis < capMillis; i++) {
            millis *= 2;
        }
        millis = Math.min(millis, capMillis);
        return Duration.ofMillis(Math.round(millis * (1 - jitter * random.getAsDouble())));
    }
}
