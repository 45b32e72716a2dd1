package io.snowpack.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How fresh the table cache is. Every process reads the same status from the shared store, so values derived from
 * it (such as {@link #lag}) agree across replicas when given the backend's time.
 *
 * @param lastSynced when the last health sync finished, empty before the first
 * @param tableCount how many tables the cache holds
 */
public record CacheStatus(Optional<Instant> lastSynced, long tableCount) {
    public CacheStatus {
        lastSynced = lastSynced == null ? Optional.empty() : lastSynced;
    }

    /**
     * How far the cache lags behind {@code now}: the time since the last completed health-sync pass, never
     * negative (a {@code now} before {@code lastSynced}, from clock skew, gives zero).
     *
     * @param now the backend's time ({@link SnowpackStore#now()}), so that every replica computes the same lag
     * @return empty before the first pass completed
     */
    public Optional<Duration> lag(Instant now) {
        return lastSynced.map(synced -> {
            Duration lag = Duration.between(synced, now);
            return lag.isNegative() ? Duration.ZERO : lag;
        });
    }
}
