package io.snowpack.core.memory;

import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.LockManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The in-memory {@code table_locks} table: the shared lease table with the rules of locks. */
final class MemoryLockManager implements LockManager {
    private final MemoryLeases leases;

    MemoryLockManager(Guard guard, MemoryTime time) {
        leases = new MemoryLeases(guard, time, MemoryLeases.Rules.LOCK);
    }

    @Override
    public Optional<Lease> tryAcquire(String key, String holder, Duration ttl) {
        return leases.acquire(key, holder, ttl);
    }

    @Override
    public Optional<Lease> renew(Lease lease, Duration ttl) {
        return leases.renew(lease, ttl);
    }

    @Override
    public boolean release(Lease lease) {
        return leases.release(lease);
    }

    @Override
    public Optional<Lease> current(String key) {
        return leases.current(key);
    }

    @Override
    public List<Lease> releaseExpired() {
        return leases.releaseExpired();
    }
}
