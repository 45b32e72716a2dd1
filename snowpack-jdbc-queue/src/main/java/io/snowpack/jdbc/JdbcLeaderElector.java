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

/**
 * The {@code scheduler_leader} table: one lease row per {@code lock_key}. A new term draws its fence from
 * {@code scheduler_leader_fence_seq}; {@link #holds} locks the row it finds, so a takeover waits for the unit of
 * work that asked.
 */
final class JdbcLeaderElector implements LeaderElector {
    private static final String COLUMNS = "lock_key, holder_id, fence, acquired_at, expires_at";
    /** The current holder while its lease is valid: then the term goes on (same start, same fence). */
    private static final String SAME_TERM = "l.holder_id = :holder AND l.expires_at > ${now}";
    private static final String ACQUIRED_AT = "CASE WHEN " + SAME_TERM + " THEN l.acquired_at ELSE ${now} END";
    private static final String FENCE = "CASE WHEN " + SAME_TERM + " THEN l.fence ELSE ${nextLeaderFence} END";

    private static final String ACQUIRE_POSTGRES = """
            INSERT INTO ${s}.scheduler_leader AS l (lock_key, holder_id, fence, acquired_at, expires_at)
            VALUES (:key, :holder, ${nextLeaderFence}, ${now}, ${nowPlusDelay})
            ON CONFLICT (lock_key) DO UPDATE
               SET holder_id = EXCLUDED.holder_id, fence = %s, acquired_at = %s, expires_at = EXCLUDED.expires_at
             WHERE l.expires_at <= ${now} OR l.holder_id = EXCLUDED.holder_id
            RETURNING lock_key, holder_id, fence, acquired_at, expires_at""".formatted(FENCE, ACQUIRED_AT);
    private static final String TAKE_H2 = """
            UPDATE ${s}.scheduler_leader l
               SET holder_id = :holder, fence = %s, acquired_at = %s, expires_at = ${nowPlusDelay}
             WHERE lock_key = :key AND (expires_at <= ${now} OR holder_id = :holder)""".formatted(FENCE, ACQUIRED_AT);
    private static final String INSERT_H2 = """
            INSERT INTO ${s}.scheduler_leader (lock_key, holder_id, fence, acquired_at, expires_at)
            SELECT :key, :holder, ${nextLeaderFence}, ${now}, ${nowPlusDelay}
             WHERE NOT EXISTS (SELECT 1 FROM ${s}.scheduler_leader WHERE lock_key = :key)""";
    private static final String THIS_TERM = "lock_key = :key AND holder_id = :holder AND fence = :fence";

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
                                + " WHERE " + THIS_TERM + " AND expires_at > ${now}", COLUMNS))
                .bind("key", lease.lockKey()).bind("holder", lease.holderId()).bind("fence", lease.fence())
                .bind("delay_micros", Sql.micros(ttl))
                .map(JdbcLeaderElector::lease).findOne());
    }

    @Override
    public boolean release(LeaderLease lease) {
        return connections.withHandle(h -> sql.update(h, "DELETE FROM ${s}.scheduler_leader WHERE " + THIS_TERM)
                .bind("key", lease.lockKey()).bind("holder", lease.holderId()).bind("fence", lease.fence())
                .execute()) == 1;
    }

    /**
     * Reads the row of this term with a row lock ({@code FOR SHARE} on PostgreSQL, {@code FOR UPDATE} on H2), kept
     * until the surrounding transaction ends: a takeover or release then waits for it, and a takeover that
     * committed first makes the row fail the check.
     */
    @Override
    public boolean holds(LeaderLease lease) {
        return connections.withHandle(h -> sql.query(h, "SELECT fence FROM ${s}.scheduler_leader WHERE " + THIS_TERM
                        + " AND expires_at > ${now}" + sql.dialect().lockRowsShared())
                .bind("key", lease.lockKey()).bind("holder", lease.holderId()).bind("fence", lease.fence())
                .mapTo(Long.class).findOne().isPresent());
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
        return new LeaderLease(rs.getString("lock_key"), rs.getString("holder_id"), rs.getLong("fence"),
                Sql.instant(rs, "acquired_at"), Sql.instant(rs, "expires_at"));
    }
}
