package io.snowpack.core.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * How fresh the table cache is.
 *
 * @param lastSynced when the last health sync finished, empty before the first
 * @param tableCount how many tables the cache holds
 */
public record CacheStatus(Optional<Instant> lastSynced, long tableCount) {
    public CacheStatus {
        lastSynced = lastSynced == null ? Optional.empty() : lastSynced;
    }
}
