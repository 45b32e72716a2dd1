package io.snowpack.core.memory;

import io.snowpack.core.spi.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The in-memory lease table that both {@link MemoryLockManager} ({@code table_locks}) and
 * {@link MemoryLeaderElector} ({@code scheduler_leader}) are made of: one {@link Lease} per key, a fence that grows
 * with every new term, and every change undone when the surrounding transaction fails. All methods take the
 * {@link Guard}, so a unit of work that asked keeps the answer.
 *
 * <p>The two users differ in two rules only, given as {@link Rules}.
 */
final class MemoryLeases {
    /**
     * Where locks and leadership differ.
     *
     * @param holderContinuesTerm whether the holder of a valid lease that acquires it again continues its term
     *                            (same fence and start, later expiry) rather than being refused
     * @param renewsAfterExpiry   whether an expired lease that nobody took over can still be renewed
     */
    record Rules(boolean holderContinuesTerm, boolean renewsAfterExpiry) {
        /** Table locks: not re-entrant; an expired lock that nobody took can be renewed. */
        static final Rules LOCK = new Rules(false, true);
        /** Leadership: the leader acquiring again continues its term; a lapsed lead is a new term. */
        static final Rules LEADER = new Rules(true, false);
    }

    private final Guard guard;
    private final MemoryTime time;
    private final Rules rules;
    private final Map<String, Lease> leases = new HashMap<>();
    /** The last fence handed out; guarded by {@link #guard}. Never rolled back: fences only need to grow. */
    private long lastFence;

    MemoryLeases(Guard guard, MemoryTime time, Rules rules) {
        this.guard = guard;
        this.time = time;
        this.rules = rules;
    }

    /** Takes {@code key} when free or expired, in a new term; or continues the holder's term when the rules say. */
    Optional<Lease> acquire(String key, String holder, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(holder, "holder");
        Lease.requirePositive(ttl);
        return guard.locked(() -> {
            Instant now = time.now();
            Lease existing = leases.get(key);
            Lease lease;
            if (existing == null || existing.isExpiredAt(now)) {
                lease = new Lease(key, holder, ++lastFence, now, now.plus(ttl));
            } else if (rules.holderContinuesTerm() && existing.holder().equals(holder)) {
                lease = existing.renewedAt(now, ttl);
            } else {
                return Optional.empty();
            }
            put(lease);
            return Optional.of(lease);
        });
    }

    /** Extends {@code lease}'s term to {@code now + ttl} while it is the key's current term. */
    Optional<Lease> renew(Lease lease, Duration ttl) {
        Lease.requirePositive(ttl);
        return guard.locked(() -> {
            Instant now = time.now();
            Lease stored = leases.get(lease.key());
            if (!lease.isSameTermAs(stored) || (!rules.renewsAfterExpiry() && stored.isExpiredAt(now))) {
                return Optional.empty();
            }
            Lease renewed = stored.renewedAt(now, ttl);
            put(renewed);
            return Optional.of(renewed);
        });
    }

    /** Frees the key when {@code lease} is its current term. */
    boolean release(Lease lease) {
        return guard.locked(() -> {
            if (!lease.isSameTermAs(leases.get(lease.key()))) {
                return false;
            }
            delete(lease.key());
            return true;
        });
    }

    /** Whether {@code lease} is the key's current term and has not expired. */
    boolean holds(Lease lease) {
        return guard.locked(() -> {
            Lease stored = leases.get(lease.key());
            return lease.isSameTermAs(stored) && !stored.isExpiredAt(time.now());
        });
    }

    /** The key's lease as stored, expired or not. */
    Optional<Lease> current(String key) {
        return guard.locked(() -> Optional.ofNullable(leases.get(key)));
    }

    /** Frees every expired lease and answers them. */
    List<Lease> releaseExpired() {
        return guard.locked(() -> {
            Instant now = time.now();
            List<Lease> expired = leases.values().stream().filter(lease -> lease.isExpiredAt(now)).toList();
            expired.forEach(lease -> delete(lease.key()));
            return expired;
        });
    }

    private void put(Lease lease) {
        Lease previous = leases.put(lease.key(), lease);
        guard.onRollback(() -> restore(lease.key(), previous));
    }

    private void delete(String key) {
        Lease previous = leases.remove(key);
        guard.onRollback(() -> restore(key, previous));
    }

    private void restore(String key, Lease previous) {
        if (previous == null) {
            leases.remove(key);
        } else {
            leases.put(key, previous);
        }
    }
}
