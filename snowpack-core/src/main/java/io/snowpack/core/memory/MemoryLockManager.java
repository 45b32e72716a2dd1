package io.snowpack.core.memory;

import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.LockManager;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The in-memory lock table: one lease per key. */
final class MemoryLockManager implements LockManager {
    private final Guard guard;
    private final MemoryTime time;
    private final Map<String, Lease> leases = new HashMap<>();
    private long fenceSequence;

    MemoryLockManager(Guard guard, MemoryTime time) {
        this.guard = guard;
        this.time = time;
    }

    @Override
    public Optional<Lease> tryAcquire(String key, String holder, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(holder, "holder");
        requirePositive(ttl);
        return guard.locked(() -> {
            Instant now = time.now();
            Lease existing = leases.get(key);
            if (existing != null && !existing.isExpiredAt(now)) {
                return Optional.empty();
            }
            Lease lease = new Lease(key, holder, ++fenceSequence, now, now.plus(ttl));
            put(lease);
            return Optional.of(lease);
        });
    }

    @Override
    public Optional<Lease> renew(Lease lease, Duration ttl) {
        requirePositive(ttl);
        return guard.locked(() -> {
            if (!isCurrent(lease)) {
                return Optional.empty();
            }
            Lease renewed = new Lease(lease.key(), lease.holder(), lease.fence(), leases.get(lease.key()).acquiredAt(),
                    time.now().plus(ttl));
            put(renewed);
            return Optional.of(renewed);
        });
    }

    @Override
    public boolean release(Lease lease) {
        return guard.locked(() -> {
            if (!isCurrent(lease)) {
                return false;
            }
            delete(lease.key());
            return true;
        });
    }

    @Override
    public Optional<Lease> current(String key) {
        return guard.locked(() -> Optional.ofNullable(leases.get(key)));
    }

    @Override
    public List<Lease> releaseExpired() {
        return guard.locked(() -> {
            Instant now = time.now();
            List<Lease> expired = leases.values().stream().filter(lease -> lease.isExpiredAt(now)).toList();
            expired.forEach(lease -> delete(lease.key()));
            return expired;
        });
    }

    private boolean isCurrent(Lease lease) {
        Lease stored = leases.get(lease.key());
        return stored != null && stored.fence() == lease.fence() && stored.holder().equals(lease.holder());
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

    static void requirePositive(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
    }
}
