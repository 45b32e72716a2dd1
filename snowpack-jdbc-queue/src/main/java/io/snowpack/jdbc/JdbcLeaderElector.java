package io.snowpack.jdbc;

import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.LeaderLease;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@code scheduler_leader} table: one lease row per {@code lock_key}. */
final class JdbcLeaderElector implements LeaderElector {
    private static final String COLUMNS = "lock_key, holder_id, acquired_at, expires_at";
    /** A holder that still leads keeps its start time; a new leader starts now. */
    private static final String ACQUIRED_AT =
            "CASE WHEN l.holder_id = :holder AND l.expires_at > ${now} THEN l.acquired_at ELSE ${now} END";

    private static final String ACQUIRE_POSTGRES = """
            INSERT INTO ${s}.scheduler_leader AS l (lock_key, holder_id, acquired_at, expires_at)
            VALUES (:key, :holder, ${now}, ${nowPlusDelay})
            ON CONFLICT (lock_key) DO UPDATE
               SET holder_id = EXCLUDED.holder_id, acquired_at = %s, expires_at = EXCLUDED.expires_at
             WHERE l.expires_at <= ${now} OR l.holder_id = EXCLUDED.holder_id
            RETURNING lock_key, holder_id, acquired_at, expires_at""".formatted(ACQUIRED_AT);
    private static final String TAKE_H2 = """
            UPDATE ${s}.scheduler_leader l
               SET holder_id = :holder, acquired_at = %s, expires_at = ${nowPlusDelay}
             WHERE lock_key = :key AND (expires_at <= ${now} OR holder_id = :holder)""".formatted(ACQUIRED_AT);
    private static final String INSERT_H2 = """
            INSERT INTO ${s}.scheduler_leader (lock_key, holder_id, acquired_at, expires_at)
            SELECT :key, :holder, ${now}, ${nowPlusDelay}
             WHERE NOT EXISTS (SELECT 1 FROM ${s}.scheduler_leader WHERE lock_key = :key)""";

    private final Connections connections;
    private final Sql sql;

    JdbcLeaderElector(Connections connections, Sql sql) {
        this.connections = connections;
        this.sql = sql;
    }

    @Override
    public Optional<LeaderLease> tryAcquire(String lockKey, String holderId, Duration ttl) {
        Objects.requireNonNull(lockKey, "lockKey");
        Objects.requireNonNull(holderId, "holderId");
        JdbcLockManager.requirePositive(ttl);
        if (sql.dialect() == Dialect.POSTGRESQL) {
            return connections.withHandle(h -> sql.query(h, ACQUIRE_POSTGRES)
                    .bind("key", lockKey).bind("holder", holderId).bind("delay_micros", Sql.micros(ttl))
                    .map(JdbcLeaderElector::lease).findOne());
        }
        return connections.inTransaction(h -> {
            boolean led = sql.update(h, TAKE_H2).bind("key", lockKey).bind("holder", holderId)
                    .bind("delay_micros", Sql.micros(ttl)).execute() == 1
                    || Sql.insertUnlessDuplicate(sql.update(h, INSERT_H2).bind("key", lockKey)
                            .bind("holder", holderId).bind("delay_micros", Sql.micros(ttl)));
            return led ? find(h, lockKey) : Optional.<LeaderLease>empty();
        });
    }

    @Override
    public Optional<LeaderLease> renew(LeaderLease lease, Duration ttl) {
        JdbcLockManager.requirePositive(ttl);
        return connections.withHandle(h -> sql.query(h, sql.dialect().returning(
                        "UPDATE ${s}.scheduler_leader SET expires_at = ${nowPlusDelay}"
                                + " WHERE lock_key = :key AND holder_id = :holder AND expires_at > ${now}", COLUMNS))
                .bind("key", lease.lockKey()).bind("holder", lease.holderId()).bind("delay_micros", Sql.micros(ttl))
                .map(JdbcLeaderElector::lease).findOne());
    }

    @Override
    public boolean release(LeaderLease lease) {
        return connections.withHandle(h -> sql.update(h,
                        "DELETE FROM ${s}.scheduler_leader WHERE lock_key = :key AND holder_id = :holder")
                .bind("key", lease.lockKey()).bind("holder", lease.holderId()).execute()) == 1;
    }

    @Override
    public Optional<LeaderLease> current(String lockKey) {
        return connections.withHandle(h -> find(h, lockKey));
    }

    private Optional<LeaderLease> find(Handle h, String lockKey) {
        return sql.query(h, "SELECT " + COLUMNS + " FROM ${s}.scheduler_leader WHERE lock_key = :key")
                .bind("key", lockKey).map(JdbcLeaderElector::lease).findOne();
    }

    private static LeaderLease lease(ResultSet rs, StatementContext ctx) throws SQLException {
        return new LeaderLease(rs.getString("lock_key"), rs.getString("holder_id"), Sql.instant(rs, "acquired_at"),
                Sql.instant(rs, "expires_at"));
    }
}
