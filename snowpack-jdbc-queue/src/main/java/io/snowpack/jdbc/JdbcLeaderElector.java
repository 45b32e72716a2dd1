package io.snowpack.jdbc;

import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.Lease;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code scheduler_leader} table: the shared lease table with the rules of leadership, one row per
 * {@code lock_key}. A new term draws its fence from {@code scheduler_leader_fence_seq}; {@link #holds} locks the row
 * it finds, so a takeover waits for the unit of work that asked.
 */
final class JdbcLeaderElector implements LeaderElector {
    private final JdbcLeases leases;

    JdbcLeaderElector(Connections connections, Sql sql) {
        leases = new JdbcLeases(connections, sql, JdbcLeases.Table.LEADERS, JdbcLeases.Rules.LEADER);
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

    @Override
    public boolean holds(Lease lease) {
        return leases.holds(lease);
    }

    @Override
    public Optional<Lease> current(String lockKey) {
        return leases.current(lockKey);
    }
}
