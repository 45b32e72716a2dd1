package io.snowpack.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A holder's lease on one key: a table lock ({@link LockManager}, key {@code database.table}, holder a job id) or
 * the lead of a {@code lock_key} ({@link LeaderElector}, e.g. {@code scheduler}, holder a process id). Both are the
 * same mechanism: the fence grows with every new acquisition of the key (a <em>term</em>) and stays the same while
 * the holder renews, as does {@code acquiredAt}; a holder whose term was taken over or released can no longer renew
 * or release it, because those compare holder and fence ({@link #isSameTermAs}).
 *
 * @param key        the lock key: a table key {@code database.table}, or a leader {@code lock_key}
 * @param holder     who holds it: a job id, or a leader's process id
 * @param fence      the fence token of this term
 * @param acquiredAt when this term began (backend time); kept by renewals
 * @param expiresAt  when it expires unless renewed (backend time)
 */
public record Lease(String key, String holder, long fence, Instant acquiredAt, Instant expiresAt) {
    public Lease {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(acquiredAt, "acquiredAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** {@code true} when the lease has expired at {@code now}: its expiry is not after {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    /** {@code true} when {@code other} is the same term of the same key: same key, holder and fence. */
    public boolean isSameTermAs(Lease other) {
        return other != null && key.equals(other.key) && holder.equals(other.holder) && fence == other.fence;
    }

    /** This term renewed at {@code now} for {@code ttl}: same key, holder, fence and start. */
    public Lease renewedAt(Instant now, Duration ttl) {
        return new Lease(key, holder, fence, acquiredAt, now.plus(requirePositive(ttl)));
    }

    /**
     * The rule every lease operation applies to its TTL.
     *
     * @return {@code ttl}
     * @throws IllegalArgumentException when {@code ttl} is null, zero or negative
     */
    public static Duration requirePositive(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        return ttl;
    }
}
