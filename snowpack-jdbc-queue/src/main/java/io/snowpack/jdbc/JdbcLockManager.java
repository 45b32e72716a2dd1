package io.snowpack.jdbc;

import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.LockManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@code table_locks} table: one row per held key; the fence comes from a sequence. */
final class JdbcLockManager implements LockManager {
    private static final String COLUMNS = "table_key, holder, acquired_at, expires_at, fence";

    /** PostgreSQL: insert, or take over an expired lease, in one statement. */
    private static final String ACQUIRE_POSTGRES = """
            INSERT INTO ${s}.table_locks AS l (table_key, holder, acquired_at, expires_at, fence)
            VALUES (:key, :holder, ${now}, ${nowPlusDelay}, ${nextLockFence})
            ON CONFLICT (table_key) DO UPDATE
               SET holder = EXCLUDED.holder, acquired_at = EXCLUDED.acquired_at,
                   expires_at = EXCLUDED.expires_at, fence = EXCLUDED.fence
             WHERE l.expires_at <= ${now}
            RETURNING table_key, holder, acquired_at, expires_at, fence""";
    private static final String TAKE_OVER_H2 = """
            UPDATE ${s}.table_locks
               SET holder = :holder, acquired_at = ${now}, expires_at = ${nowPlusDelay}, fence = ${nextLockFence}
             WHERE table_key = :key AND expires_at <= ${now}""";
    private static final String INSERT_H2 = """
            INSERT INTO ${s}.table_locks (table_key, holder, acquired_at, expires_at, fence)
            SELECT :key, :holder, ${now}, ${nowPlusDelay}, ${nextLockFence}
             WHERE NOT EXISTS (SELECT 1 FROM ${s}.table_locks WHERE table_key = :key)""";

    private final Connections connections;
    private final Sql sql;

    JdbcLockManager(Connections connections, Sql sql) {
        this.connections = connections;
        this.sql = sql;
    }

    @Override
    public Optional<Lease> tryAcquire(String key, String holder, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(holder, "holder");
        requirePositive(ttl);
        if (sql.dialect() == Dialect.POSTGRESQL) {
            return connections.withHandle(h -> sql.query(h, ACQUIRE_POSTGRES)
                    .bind("key", key).bind("holder", holder).bind("delay_micros", Sql.micros(ttl))
                    .map(JdbcLockManager::lease).findOne());
        }
        return connections.inTransaction(h -> {
            boolean taken = sql.update(h, TAKE_OVER_H2).bind("key", key).bind("holder", holder)
                    .bind("delay_micros", Sql.micros(ttl)).execute() == 1
                    || Sql.insertUnlessDuplicate(sql.update(h, INSERT_H2).bind("key", key).bind("holder", holder)
                            .bind("delay_micros", Sql.micros(ttl)));
            return taken ? find(h, key) : Optional.<Lease>empty();
        });
    }

    @Override
    public Optional<Lease> renew(Lease lease, Duration ttl) {
        requirePositive(ttl);
        return connections.withHandle(h -> sql.query(h, sql.dialect().returning("UPDATE ${s}.table_locks"
                        + " SET expires_at = ${nowPlusDelay} WHERE table_key = :key AND holder = :holder AND fence = :fence",
                        COLUMNS))
                .bind("key", lease.key()).bind("holder", lease.holder()).bind("fence", lease.fence())
                .bind("delay_micros", Sql.micros(ttl))
                .map(JdbcLockManager::lease).findOne());
    }

    @Override
    public boolean release(Lease lease) {
        return connections.withHandle(h -> sql.update(h,
                        "DELETE FROM ${s}.table_locks WHERE table_key = :key AND holder = :holder AND fence = :fence")
                .bind("key", lease.key()).bind("holder", lease.holder()).bind("fence", lease.fence())
                .execute()) == 1;
    }

    @Override
    public Optional<Lease> current(String key) {
        return connections.withHandle(h -> find(h, key));
    }

    @Override
    public List<Lease> releaseExpired() {
        return connections.withHandle(h -> sql.query(h, sql.dialect().returning(
                        "DELETE FROM ${s}.table_locks WHERE expires_at <= ${now}", COLUMNS))
                .map(JdbcLockManager::lease).list());
    }

    private Optional<Lease> find(Handle h, String key) {
        return sql.query(h, "SELECT " + COLUMNS + " FROM ${s}.table_locks WHERE table_key = :key")
                .bind("key", key).map(JdbcLockManager::lease).findOne();
    }

    private static Lease lease(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Lease(rs.getString("table_key"), rs.getString("holder"), rs.getLong("fence"),
                Sql.instant(rs, "acquired_at"), Sql.instant(rs, "expires_at"));
    }

    static void requirePositive(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
    }
}
