package io.snowpack.core.memory;

import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.LeaderLease;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The in-memory {@code scheduler_leader} table. */
final class MemoryLeaderElector implements LeaderElector {
    private final Guard guard;
    private final MemoryTime time;
    private final Map<String, LeaderLease> leases = new HashMap<>();

    MemoryLeaderElector(Guard guard, MemoryTime time) {
        this.guard = guard;
        this.time = time;
    }

    @Override
    public Optional<LeaderLease> tryAcquire(String lockKey, String holderId, Duration ttl) {
        Objects.requireNonNull(lockKey, "lockKey");
        Objects.requireNonNull(holderId, "holderId");
        MemoryLockManager.requirePositive(ttl);
        return guard.locked(() -> {
            Instant now = time.now();
            LeaderLease existing = leases.get(lockKey);
            if (existing != null && !existing.isExpiredAt(now) && !existing.holderId().equals(holderId)) {
                return Optional.empty();
            }
            Instant acquiredAt = existing != null && !existing.isExpiredAt(now) ? existing.acquiredAt() : now;
            LeaderLease lease = new LeaderLease(lockKey, holderId, acquiredAt, now.plus(ttl));
            put(lease);
            return Optional.of(lease);
        });
    }

    @Override
    public Optional<LeaderLease> renew(LeaderLease lease, Duration ttl) {
        MemoryLockManager.requirePositive(ttl);
        return guard.locked(() -> {
            Instant now = time.now();
            LeaderLease stored = leases.get(lease.lockKey());
            if (stored == null || !stored.holderId().equals(lease.holderId()) || stored.isExpiredAt(now)) {
                return Optional.empty();
            }
            LeaderLease renewed = new LeaderLease(stored.lockKey(), stored.holderId(), stored.acquiredAt(), now.plus(ttl));
            put(renewed);
            return Optional.of(renewed);
        });
    }

    @Override
    public boolean release(LeaderLease lease) {
        return guard.locked(() -> {
            LeaderLease stored = leases.get(lease.lockKey());
            if (stored == null || !stored.holderId().equals(lease.holderId())) {
                return false;
            }
            leases.remove(lease.lockKey());
            guard.onRollback(() -> leases.put(stored.lockKey(), stored));
            return true;
        });
    }

    @Override
    public Optional<LeaderLease> current(String lockKey) {
        return guard.locked(() -> Optional.ofNullable(leases.get(lockKey)));
    }

    private void put(LeaderLease lease) {
        LeaderLease previous = leases.put(lease.lockKey(), lease);
        guard.onRollback(() -> {
            if (previous == null) {
                leases.remove(lease.lockKey());
            } else {
                leases.put(lease.lockKey(), previous);
            }
        });
    }
}
