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
    /** The last fence handed out; guarded by {@link #guard}. Never rolled back: fences only need to grow. */
    private long lastFence;

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
            boolean sameTerm = existing != null && !existing.isExpiredAt(now);
            LeaderLease lease = sameTerm
                    ? new LeaderLease(lockKey, holderId, existing.fence(), existing.acquiredAt(), now.plus(ttl))
                    : new LeaderLease(lockKey, holderId, ++lastFence, now, now.plus(ttl));
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
            if (!sameTerm(stored, lease) || stored.isExpiredAt(now)) {
                return Optional.empty();
            }
            LeaderLease renewed = new LeaderLease(stored.lockKey(), stored.holderId(), stored.fence(),
                    stored.acquiredAt(), now.plus(ttl));
            put(renewed);
            return Optional.of(renewed);
        });
    }

    @Override
    public boolean release(LeaderLease lease) {
        return guard.locked(() -> {
            LeaderLease stored = leases.get(lease.lockKey());
            if (!sameTerm(stored, lease)) {
                return false;
            }
            leases.remove(lease.lockKey());
            guard.onRollback(() -> leases.put(stored.lockKey(), stored));
            return true;
        });
    }

    /** Under the one lock every in-memory store shares, so a unit of work that asked keeps the answer. */
    @Override
    public boolean holds(LeaderLease lease) {
        return guard.locked(() -> {
            LeaderLease stored = leases.get(lease.lockKey());
            return sameTerm(stored, lease) && !stored.isExpiredAt(time.now());
        });
    }

    private static boolean sameTerm(LeaderLease stored, LeaderLease lease) {
        return stored != null && stored.holderId().equals(lease.holderId()) && stored.fence() == lease.fence();
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
