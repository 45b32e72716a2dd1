package io.snowpack.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A process's leadership of one {@code lock_key}.
 *
 * @param lockKey    what is led (e.g. {@code scheduler})
 * @param holderId   the leading process
 * @param acquiredAt when this holder took the lead (backend time)
 * @param expiresAt  when the lead lapses unless renewed (backend time)
 */
public record LeaderLease(String lockKey, String holderId, Instant acquiredAt, Instant expiresAt) {
    public LeaderLease {
        Objects.requireNonNull(lockKey, "lockKey");
        Objects.requireNonNull(holderId, "holderId");
        Objects.requireNonNull(acquiredAt, "acquiredAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** {@code true} when the lease has lapsed at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
