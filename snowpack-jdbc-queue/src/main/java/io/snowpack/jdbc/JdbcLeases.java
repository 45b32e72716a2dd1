package io.snowpack.jdbc;

import io.snowpack.core.spi.Lease;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The lease table that both {@link JdbcLockManager} ({@code table_locks}) and {@link JdbcLeaderElector}
 * ({@code scheduler_leader}) are made of: one row per held key with its holder, {@code acquired_at},
 * {@code expires_at} and a fence drawn from a sequence at every new term; every statement parameterised, in
 * backend time. The two tables differ in their names and in two rules, given as {@link Rules}; their column names
 * are the ones the runbooks query, so they are given too.
 */
final class JdbcLeases {
    /**
     * Where locks and leadership differ.
     *
     * @param holderContinuesTerm whether the holder of a valid lease that acquires it again continues its term
     *                            (same fence and start, later expiry) rather than being refused
     * @param renewsAfterExpiry   whether an expired lease that nobody took over can still be renewed
     */
    record Rules(boolean holderContinuesTerm, boolean renewsAfterExpiry) {
        /** Table locks: not re-entrant; an expired lock that nobody took can be renewed. */
        static final Rules LOCK = new Rules(false, true);
        /** Leadership: the leader acquiring again continues its term; a lapsed lead is a new term. */
        static final Rules LEADER = new Rules(true, false);
    }

    /**
     * A lease table's shape.
     *
     * @param name         the table, without schema
     * @param keyColumn    its primary key, the lease key
     * @param holderColumn the holder's column
     * @param nextFence    the {@link Sql} placeholder of its fence sequence's next value
     */
    record Table(String name, String keyColumn, String holderColumn, String nextFence) {
        static final Table LOCKS = new Table("table_locks", "table_key", "holder", "${nextLockFence}");
        static final Table LEADERS = new Table("scheduler_leader", "lock_key", "holder_id", "${nextLeaderFence}");
    }

    private final Connections connections;
    private final Sql sql;
    private final Table table;
    private final String acquirePostgres;
    private final String takeOverH2;
    private final String insertH2;
    private final String renew;
    private final String release;
    private final String holds;
    private final String find;
    private final String releaseExpired;

    JdbcLeases(Connections connections, Sql sql, Table table, Rules rules) {
        this.connections = connections;
        this.sql = sql;
        this.table = table;
        String t = "${s}." + table.name();
        String k = table.keyColumn();
        String h = table.holderColumn();
        String columns = k + ", " + h + ", acquired_at, expires_at, fence";
        String thisTerm = k + " = :key AND " + h + " = :holder AND fence = :fence";
        // On PostgreSQL, one statement inserts, takes over an expired lease, or (leadership) continues the term.
        String continues = "l." + h + " = EXCLUDED." + h + " AND l.expires_at > ${now}";
        acquirePostgres = """
                INSERT INTO %1$s AS l (%2$s)
                VALUES (:key, :holder, ${now}, ${nowPlusDelay}, %3$s)
                ON CONFLICT (%4$s) DO UPDATE
                   SET %5$s = EXCLUDED.%5$s, acquired_at = %6$s,
                       expires_at = EXCLUDED.expires_at, fence = %7$s
                 WHERE l.expires_at <= ${now}%8$s
                RETURNING %2$s""".formatted(t, columns, table.nextFence(), k, h,
                rules.holderContinuesTerm()
                        ? "CASE WHEN " + continues + " THEN l.acquired_at ELSE EXCLUDED.acquired_at END"
                        : "EXCLUDED.acquired_at",
                rules.holderContinuesTerm()
                        ? "CASE WHEN " + continues + " THEN l.fence ELSE EXCLUDED.fence END"
                        : "EXCLUDED.fence",
                rules.holderContinuesTerm() ? " OR l." + h + " = EXCLUDED." + h : "");
        // On H2 (no ON CONFLICT): take over (or continue), else insert. Every SET expression sees the old row.
        String continuesH2 = h + " = :holder AND expires_at > ${now}";
        takeOverH2 = """
                UPDATE %1$s
                   SET %2$s = :holder, acquired_at = %3$s, expires_at = ${nowPlusDelay}, fence = %4$s
                 WHERE %5$s = :key AND %6$s""".formatted(t, h,
                rules.holderContinuesTerm()
                        ? "CASE WHEN " + continuesH2 + " THEN acquired_at ELSE ${now} END" : "${now}",
                rules.holderContinuesTerm()
                        ? "CASE WHEN " + continuesH2 + " THEN fence ELSE " + table.nextFence() + " END"
                        : table.nextFence(),
                k, rules.holderContinuesTerm() ? "(expires_at <= ${now} OR " + h + " = :holder)" : "expires_at <= ${now}");
        insertH2 = """
                INSERT INTO %1$s (%2$s)
                SELECT :key, :holder, ${now}, ${nowPlusDelay}, %3$s
                 WHERE NOT EXISTS (SELECT 1 FROM %1$s WHERE %4$s = :key)""".formatted(t, columns, table.nextFence(), k);
        renew = sql.dialect().returning("UPDATE " + t + " SET expires_at = ${nowPlusDelay} WHERE " + thisTerm
                + (rules.renewsAfterExpiry() ? "" : " AND expires_at > ${now}"), columns);
        release = "DELETE FROM " + t + " WHERE " + thisTerm;
        holds = "SELECT fence FROM " + t + " WHERE " + thisTerm + " AND expires_at > ${now}"
                + sql.dialect().lockRowsShared();
        find = "SELECT " + columns + " FROM " + t + " WHERE " + k + " = :key";
        releaseExpired = sql.dialect().returning("DELETE FROM " + t + " WHERE expires_at <= ${now}", columns);
    }

    /** Takes {@code key} when free or expired, in a new term; or continues the holder's term when the rules say. */
    Optional<Lease> acquire(String key, String holder, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(holder, "holder");
        long delay = Sql.micros(Lease.requirePositive(ttl));
        if (sql.dialect() == Dialect.POSTGRESQL) {
            return connections.withHandle(h -> sql.query(h, acquirePostgres)
                    .bind("key", key).bind("holder", holder).bind("delay_micros", delay)
                    .map(this::lease).findOne());
        }
        return connections.inTransaction(h -> {
            boolean taken = sql.update(h, takeOverH2).bind("key", key).bind("holder", holder)
                    .bind("delay_micros", delay).execute() == 1
                    || Sql.insertUnlessDuplicate(sql.update(h, insertH2).bind("key", key).bind("holder", holder)
                            .bind("delay_micros", delay));
            return taken ? find(h, key) : Optional.<Lease>empty();
        });
    }

    /** Extends {@code lease}'s term to {@code now + ttl} while it is the key's current term (and the rules allow). */
    Optional<Lease> renew(Lease lease, Duration ttl) {
        long delay = Sql.micros(Lease.requirePositive(ttl));
        return connections.withHandle(h -> sql.query(h, renew)
                .bind("key", lease.key()).bind("holder", lease.holder()).bind("fence", lease.fence())
                .bind("delay_micros", delay)
                .map(this::lease).findOne());
    }

    /** Deletes the row when {@code lease} is the key's current term. */
    boolean release(Lease lease) {
        return connections.withHandle(h -> sql.update(h, release)
                .bind("key", lease.key()).bind("holder", lease.holder()).bind("fence", lease.fence())
                .execute()) == 1;
    }

    /**
     * Whether {@code lease} is the key's current, unexpired term. Reads the row with a row lock ({@code FOR SHARE}
     * on PostgreSQL, {@code FOR UPDATE} on H2), kept until the surrounding transaction ends: a takeover or release
     * then waits for it, and a takeover that committed first makes the row fail the check.
     */
    boolean holds(Lease lease) {
        return connections.withHandle(h -> sql.query(h, holds)
                .bind("key", lease.key()).bind("holder", lease.holder()).bind("fence", lease.fence())
                .mapTo(Long.class).findOne().isPresent());
    }

    /** The key's row, expired or not. */
    Optional<Lease> current(String key) {
        return connections.withHandle(h -> find(h, key));
    }

    /** Deletes every expired row and answers them as they were. */
    List<Lease> releaseExpired() {
        return connections.withHandle(h -> sql.query(h, releaseExpired).map(this::lease).list());
    }

    private Optional<Lease> find(Handle h, String key) {
        return sql.query(h, find).bind("key", key).map(this::lease).findOne();
    }

    private Lease lease(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Lease(rs.getString(table.keyColumn()), rs.getString(table.holderColumn()), rs.getLong("fence"),
                Sql.instant(rs, "acquired_at"), Sql.instant(rs, "expires_at"));
    }
}
