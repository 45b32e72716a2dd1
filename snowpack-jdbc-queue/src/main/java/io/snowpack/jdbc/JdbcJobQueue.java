package io.snowpack.jdbc;

import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.JobQueue;
import io.snowpack.core.spi.QueueEntry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * The {@code job_queue} table. Every write after a claim carries the claim's fence in its {@code WHERE}
 * clause: zero rows changed means the fence was revoked.
 */
final class JdbcJobQueue implements JobQueue {
    private static final String COLUMNS = "job_id, visible_at, claimed_at, claimed_by, attempts, fence";

    /**
     * PostgreSQL: the rows a claim takes, as the first CTE of its {@code WITH}. Rows locked by other claimers are
     * skipped, never waited for. {@code MATERIALIZED}, so read exactly once: a {@code LIMIT … SKIP LOCKED} subquery
     * joined directly may be the inner side of a nested loop, and each rescan skips the rows the statement already
     * updated and locks the next ones, so the claim took more rows than {@code :max}.
     */
    static final String CLAIM_CANDIDATES = """
            candidates AS MATERIALIZED (
                SELECT job_id FROM ${s}.job_queue
                 WHERE claimed_at IS NULL AND visible_at <= ${now}
                 ORDER BY visible_at
                 LIMIT :max
                   FOR UPDATE SKIP LOCKED
            )""";

    /** PostgreSQL: claims the {@link #CLAIM_CANDIDATES}, one statement for a whole batch. */
    static final String CLAIM_POSTGRES = """
            UPDATE ${s}.job_queue q
               SET claimed_at = ${now}, claimed_by = :worker, attempts = q.attempts + 1, fence = ${nextQueueFence}
              FROM candidates c
             WHERE q.job_id = c.job_id
            RETURNING q.job_id, q.visible_at, q.claimed_at, q.claimed_by, q.attempts, q.fence""";

    /**
     * H2 locks every row a {@code LIMIT … FOR UPDATE SKIP LOCKED} scan matches, so it picks candidates without
     * locks and takes each with a conditional update: the update count says who won.
     */
    private static final String CANDIDATES_H2 = """
            SELECT job_id FROM ${s}.job_queue
             WHERE claimed_at IS NULL AND visible_at <= ${now}
             ORDER BY visible_at
             LIMIT :max""";
    private static final String TAKE_H2 = """
            UPDATE ${s}.job_queue
               SET claimed_at = ${now}, claimed_by = :worker, attempts = attempts + 1, fence = ${nextQueueFence}
             WHERE job_id = :job_id AND claimed_at IS NULL AND visible_at <= ${now}""";

    /**
     * The claim a write carries, still current. A row counts as claimed by its {@code claimed_by}, set and cleared
     * with {@code claimed_at} by every claim and release: {@code claimed_at IS NOT NULL} would match the partial
     * index of claimed rows, which statistics taken before a burst price at one row, and the planner could then walk
     * every claimed row instead of probing the key.
     */
    private static final String FENCED = " WHERE job_id = :job_id AND fence = :fence AND claimed_by IS NOT NULL";

    /** Hands a claimed row back (with {@link #FENCED}): unclaimed, visible after {@code :delay_micros}. */
    private static final String UNCLAIM = """
            UPDATE ${s}.job_queue
               SET claimed_at = NULL, claimed_by = NULL, visible_at = ${nowPlusDelay},
                   fence = ${nextQueueFence}""";

    private final Connections connections;
    private final Sql sql;
    private final PostgresJobsReadyChannel readyChannel;
    /** The hot statements, on plain JDBC (see {@link PlainStatement}). */
    private final PlainStatement claimPostgres;
    private final PlainStatement heartbeat;
    private final PlainStatement complete;
    /** {@code completeAll}'s statement by batch size, rendered once each. */
    private final Map<Integer, String> completeMany = new ConcurrentHashMap<>();

    JdbcJobQueue(Connections connections, Sql sql, PostgresJobsReadyChannel readyChannel) {
        this.connections = connections;
        this.sql = sql;
        this.readyChannel = readyChannel;
        claimPostgres = PlainStatement.of(sql, "WITH " + CLAIM_CANDIDATES + "\n" + CLAIM_POSTGRES);
        heartbeat = PlainStatement.of(sql, "UPDATE ${s}.job_queue SET claimed_at = ${now}" + FENCED);
        complete = PlainStatement.of(sql, "DELETE FROM ${s}.job_queue" + FENCED);
    }

    /**
     * Tells listening workers that jobs are ready, at commit of the caller's unit of work (PostgreSQL only); once
     * per unit of work however many jobs it queues.
     */
    private void notifyReady(Handle h) {
        if (readyChannel != null && connections.firstInTransaction(readyChannel)) {
            sql.query(h, "SELECT pg_notify(:channel, '')").bind("channel", readyChannel.channel())
                    .map((rs, ctx) -> Boolean.TRUE).one();
        }
    }

    @Override
    public void enqueue(JobId jobId, Duration delay) {
        requireNonNegative(delay);
        int inserted = connections.withHandle(h -> {
            int rows = sql.update(h, """
                            INSERT INTO ${s}.job_queue (job_id, visible_at, attempts, fence)
                            SELECT :job_id, ${nowPlusDelay}, 0, 0
                             WHERE NOT EXISTS (SELECT 1 FROM ${s}.job_queue WHERE job_id = :job_id)""")
                    .bind("job_id", jobId.value())
                    .bind("delay_micros", Sql.micros(delay))
                    .execute();
            if (rows == 1 && delay.isZero()) {
                notifyReady(h);
            }
            return rows;
        });
        if (inserted == 0) {
            throw new IllegalStateException("Job " + jobId + " is already queued");
        }
    }

    @Override
    public List<Claim> claim(String workerId, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, got " + max);
        }
        Objects.requireNonNull(workerId, "workerId");
        List<QueueEntry> claimed = sql.dialect() == Dialect.POSTGRESQL ? claimOnPostgres(workerId, max)
                : claimOnH2(workerId, max);
        if (claimed.size() > 1) {
            claimed.sort(Comparator.comparing(QueueEntry::visibleAt).thenComparingLong(QueueEntry::fence));
        }
        List<Claim> claims = new ArrayList<>(claimed.size());
        for (QueueEntry e : claimed) {
            claims.add(new Claim(e.jobId(), e.claimedBy(), e.fence(), e.attempts(), e.claimedAt()));
        }
        return claims;
    }

    private List<QueueEntry> claimOnPostgres(String workerId, int max) {
        return connections.withConnection(c -> {
            try (PreparedStatement claim = c.prepareStatement(claimPostgres.text())) {
                claimPostgres.bind(claim, sql, "worker", workerId, "max", max);
                try (ResultSet rs = claim.executeQuery()) {
                    List<QueueEntry> entries = new ArrayList<>(Math.min(max, 64));
                    while (rs.next()) {
                        entries.add(entry(rs, null));
                    }
                    return entries;
                }
            }
        });
    }

    /**
     * Each take is its own statement (its own transaction unless the caller runs one): a claimer never holds
     * one row while waiting for another, so concurrent claimers cannot deadlock.
     */
    private List<QueueEntry> claimOnH2(String workerId, int max) {
        List<QueueEntry> claimed = new ArrayList<>();
        while (claimed.size() < max) {
            int wanted = max - claimed.size();
            List<String> candidates = connections.withHandle(h -> sql.query(h, CANDIDATES_H2).bind("max", wanted)
                    .mapTo(String.class).list());
            if (candidates.isEmpty()) {
                break;
            }
            for (String id : candidates) {
                connections.withHandle(h -> sql.update(h, TAKE_H2).bind("worker", workerId).bind("job_id", id)
                                .execute() == 1 ? find(h, id) : Optional.<QueueEntry>empty())
                        .ifPresent(claimed::add);
            }
        }
        return claimed;
    }

    @Override
    public boolean heartbeat(Claim claim) {
        return fencedUpdate(heartbeat, claim);
    }

    @Override
    public boolean complete(Claim claim) {
        return fencedUpdate(complete, claim);
    }

    @Override
    public Set<JobId> completeAll(Collection<Claim> claims) {
        if (claims.isEmpty()) {
            return Set.of();
        }
        // One statement settles the batch: a revoked claim matches no row because its fence differs.
        String delete = completeMany.computeIfAbsent(claims.size(), this::completeMany);
        return connections.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement(delete)) {
                int position = 1;
                for (Claim claim : claims) {
                    statement.setString(position++, claim.jobId().value());
                    statement.setLong(position++, claim.fence());
                }
                Set<JobId> removed = new LinkedHashSet<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        removed.add(new JobId(rs.getString(1)));
                    }
                }
                return removed;
            }
        });
    }

    /** {@code DELETE … WHERE claimed_by IS NOT NULL AND (job_id, fence) IN ((?, ?), …)}, returning the ids. */
    private String completeMany(int size) {
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < size; i++) {
            pairs.append(i == 0 ? "(?, ?)" : ", (?, ?)");
        }
        return sql.render(sql.dialect().returning("DELETE FROM ${s}.job_queue WHERE claimed_by IS NOT NULL AND "
                + "(job_id, fence) IN (" + pairs + ")", "job_id"));
    }

    @Override
    public boolean retry(Claim claim, Duration delay) {
        return unclaim(UNCLAIM, claim, delay);
    }

    @Override
    public boolean postpone(Claim claim, Duration delay) {
        return unclaim(UNCLAIM + ", attempts = attempts - 1", claim, delay);
    }

    /** Hands a claimed row back, visible after {@code delay}, with {@code update} (fenced) and a new fence. */
    private boolean unclaim(String update, Claim claim, Duration delay) {
        requireNonNegative(delay);
        return connections.withHandle(h -> {
            boolean requeued = sql.update(h, update + FENCED)
                    .bind("job_id", claim.jobId().value())
                    .bind("fence", claim.fence())
                    .bind("delay_micros", Sql.micros(delay))
                    .execute() == 1;
            if (requeued && delay.isZero()) {
                notifyReady(h);
            }
            return requeued;
        });
    }

    @Override
    public boolean release(Claim claim) {
        return retry(claim, Duration.ZERO);
    }

    @Override
    public boolean remove(JobId jobId) {
        return connections.withHandle(h -> sql.update(h, "DELETE FROM ${s}.job_queue WHERE job_id = :job_id")
                .bind("job_id", jobId.value()).execute()) == 1;
    }

    @Override
    public List<Claim> reclaimStale(Duration staleAfter) {
        requireNonNegative(staleAfter);
        return connections.inTransaction(h -> {
            // Lock the stale rows first, so the claims reported are exactly the ones revoked.
            List<QueueEntry> stale = sql.query(h, "SELECT " + COLUMNS + " FROM ${s}.job_queue"
                            + " WHERE claimed_at IS NOT NULL AND claimed_at < ${nowMinusAge} FOR UPDATE")
                    .bind("minus_age_micros", -Sql.micros(staleAfter))
                    .map(JdbcJobQueue::entry).list();
            List<Claim> revoked = new ArrayList<>();
            for (QueueEntry entry : stale) {
                int changed = sql.update(h, """
                                UPDATE ${s}.job_queue
                                   SET claimed_at = NULL, claimed_by = NULL, visible_at = ${now},
                                       fence = ${nextQueueFence}
                                 WHERE job_id = :job_id AND fence = :fence""")
                        .bind("job_id", entry.jobId().value()).bind("fence", entry.fence()).execute();
                if (changed == 1) {
                    revoked.add(new Claim(entry.jobId(), entry.claimedBy(), entry.fence(), entry.attempts(),
                            entry.claimedAt()));
                }
            }
            return revoked;
        });
    }

    @Override
    public long readyDepth() {
        return connections.withHandle(h -> sql.query(h,
                        "SELECT COUNT(*) FROM ${s}.job_queue WHERE claimed_at IS NULL AND visible_at <= ${now}")
                .mapTo(Long.class).one());
    }

    @Override
    public Optional<QueueEntry> entry(JobId jobId) {
        return connections.withHandle(h -> find(h, jobId.value()));
    }

    private Optional<QueueEntry> find(Handle h, String jobId) {
        return sql.query(h, "SELECT " + COLUMNS + " FROM ${s}.job_queue WHERE job_id = :job_id")
                .bind("job_id", jobId).map(JdbcJobQueue::entry).findOne();
    }

    private boolean fencedUpdate(PlainStatement statement, Claim claim) {
        return connections.withConnection(c -> {
            try (PreparedStatement update = c.prepareStatement(statement.text())) {
                statement.bind(update, sql, "job_id", claim.jobId().value(), "fence", claim.fence());
                return update.executeUpdate() == 1;
            }
        });
    }

    private static QueueEntry entry(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws SQLException {
        Instant claimedAt = Sql.instant(rs, "claimed_at");
        return new QueueEntry(new JobId(rs.getString("job_id")), Sql.instant(rs, "visible_at"), claimedAt,
                rs.getString("claimed_by"), rs.getInt("attempts"), rs.getLong("fence"));
    }

    private static void requireNonNegative(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0, got " + delay);
        }
    }
}
