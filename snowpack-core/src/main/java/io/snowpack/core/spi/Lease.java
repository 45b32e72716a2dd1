package io.snowpack.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A holder's lease on one lock key. The fence grows with every acquisition of the key, so a holder whose lease
 * expired and was taken over can no longer renew or release it.
 *
 * @param key        the lock key (a table key {@code database.table})
 * @param holder     who holds it (a job id)
 * @param fence      the fence token of this acquisition
 * @param acquiredAt when it was acquired (backend time)
 * @param expiresAt  when it expires unless renewed (backend time)
 */
public record Lease(String key, String holder, long fence, Instant acquiredAt, Instant expiresAt) {
    public Lease {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(acquiredAt, "acquiredAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** {@code true} when the lease has expired at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
