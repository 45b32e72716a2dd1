package io.snowpack.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A process's leadership of one {@code lock_key}: one <em>term</em>. The fence grows with every new term (a new
 * holder, or the same holder again after its lease lapsed) and stays the same while the holder renews, so a
 * deposed leader's lease no longer {@linkplain LeaderElector#holds holds}, renews or releases anything.
 *
 * @param lockKey    what is led (e.g. {@code scheduler})
 * @param holderId   the leading process
 * @param fence      the fence token of this term
 * @param acquiredAt when this holder took the lead (backend time)
 * @param expiresAt  when the lead lapses unless renewed (backend time)
 */
public record LeaderLease(String lockKey, String holderId, long fence, Instant acquiredAt, Instant expiresAt) {
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
