package io.snowpack.core.memory;

import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.Lease;
import java.time.Duration;
import java.util.Optional;

/** The in-memory {@code scheduler_leader} table: the shared lease table with the rules of leadership. */
final class MemoryLeaderElector implements LeaderElector {
    private final MemoryLeases leases;

    MemoryLeaderElector(Guard guard, MemoryTime time) {
        leases = new MemoryLeases(guard, time, MemoryLeases.Rules.LEADER);
    }

    @Override
    public Optional<Lease> tryAcquire(String lockKey, String holderId, Duration ttl) {
        return leases.acquire(lockKey, holderId, ttl);
    }

    @Override
    public Optional<Lease> renew(Lease lease, Duration ttl) {
        return leases.renew(lease, ttl);
    }

    @Override
    public boolean release(Lease lease) {
        return leases.release(lease);
    }

    /** Under the one lock every in-memory store shares, so a unit of work that asked keeps the answer. */
    @Override
    public boolean holds(Lease lease) {
        return leases.holds(lease);
    }

    @Override
    public Optional<Lease> current(String lockKey) {
        return leases.current(lockKey);
    }
}
