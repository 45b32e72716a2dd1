package io.snowpack.jdbc;

import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.LockManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The {@code table_locks} table: the shared lease table with the rules of locks; fences from a sequence. */
final class JdbcLockManager implements LockManager {
    private final JdbcLeases leases;

    JdbcLockManager(Connections connections, Sql sql) {
        leases = new JdbcLeases(connections, sql, JdbcLeases.Table.LOCKS, JdbcLeases.Rules.LOCK);
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
