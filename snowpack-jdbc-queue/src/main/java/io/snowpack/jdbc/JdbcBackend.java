package io.snowpack.jdbc;

import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Admission;
import io.snowpack.core.spi.Completion;
import io.snowpack.core.spi.JobDraft;
import io.snowpack.core.spi.StartedJob;
import java.util.Collection;
import java.util.Set;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.snowpack.core.spi.HealthHistoryRule;
import io.snowpack.core.spi.JobQueue;
import io.snowpack.core.spi.JobStore;
import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.LockManager;
import io.snowpack.core.spi.OrchestratorRunLog;
import io.snowpack.core.spi.SettingsStore;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.Stores;
import io.snowpack.core.spi.Subscription;
import io.snowpack.core.spi.TableCache;
import io.snowpack.core.spi.TransactionWork;
import java.time.Duration;
import java.time.Instant;

/** Every store over one database; a unit of work is one database transaction. */
final class JdbcBackend implements SnowpackStore, MeterBinder {
    private final Connections connections;
    private final Sql sql;
    private final JdbcJobQueue queue;
    private final JdbcLockManager locks;
    private final JdbcJobStore jobs;
    private final JdbcTableCache tables;
    private final CachingTableCache cachedTables;
    private final JdbcLeaderElector leaders;
    private final JdbcSettingsStore settings;
    private final JdbcOrchestratorRunLog orchestratorRuns;
    /** {@code null} unless PostgreSQL. */
    private final PostgresJobStarts postgresStarts;
    /** {@code null} unless PostgreSQL. */
    private final PostgresCompletions postgresCompletions;
    /** {@code null} unless PostgreSQL. */
    private final PostgresJobAdmissions postgresAdmissions;
    private final Stores transactional;
    /** Whether the unit of work running on this thread wrote to the table cache. */
    private final ThreadLocal<Boolean> tableCacheWritten = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** The table cache as units of work see it: uncached, its writes noted in {@link #tableCacheWritten}. */
    private final TableCache trackedTables;
    private final String description;
    /** {@code null} unless PostgreSQL. */
    private final PostgresJobsReadyChannel readyChannel;

    JdbcBackend(Connections connections, Sql sql, PostgresJobsReadyChannel readyChannel, Duration cacheTtl,
            long cacheSize, HealthHistoryRule historyRule, String description) {
        this.connections = connections;
        this.sql = sql;
        this.readyChannel = readyChannel;
        this.description = description;
        queue = new JdbcJobQueue(connections, sql, readyChannel);
        locks = new JdbcLockManager(connections, sql);
        jobs = new JdbcJobStore(connections, sql);
        tables = new JdbcTableCache(connections, sql, historyRule);
        cachedTables = cacheTtl.isZero() ? null : CachingTableCache.over(tables, cacheTtl, cacheSize);
        leaders = new JdbcLeaderElector(connections, sql);
        settings = new JdbcSettingsStore(connections, sql);
        orchestratorRuns = new JdbcOrchestratorRunLog(connections, sql);
        postgresStarts = sql.dialect() == Dialect.POSTGRESQL ? new PostgresJobStarts(connections, sql, jobs) : null;
        postgresCompletions = sql.dialect() == Dialect.POSTGRESQL ? new PostgresCompletions(connections, sql) : null;
        postgresAdmissions = sql.dialect() == Dialect.POSTGRESQL
                ? new PostgresJobAdmissions(connections, sql, readyChannel) : null;
        // Inside a transaction every store joins the thread's handle; the table cache is read uncached there.
        trackedTables = new WriteTrackingTableCache(tables, () -> tableCacheWritten.set(Boolean.TRUE));
        transactional = new Stores() {
            @Override public JobQueue queue() { return queue; }
            @Override public LockManager locks() { return locks; }
            @Override public JobStore jobs() { return jobs; }
            @Override public TableCache tables() { return trackedTables; }
            @Override public LeaderElector leaders() { return leaders; }
            @Override public SettingsStore settings() { return settings; }
            @Override public OrchestratorRunLog orchestratorRuns() { return orchestratorRuns; }
        };
    }

    @Override
    /**
     * Runs {@code work} in one database transaction. The table-cache layer is emptied after a unit of work that wrote
     * to the table cache (whether it committed or not), and only then: a submit or a settle leaves it warm.
     */
    public <T> T inTransaction(TransactionWork<T> work) {
        boolean outermost = !connections.inTransaction();
        if (outermost) {
            tableCacheWritten.set(Boolean.FALSE);
        }
        try {
            return connections.inTransaction(handle -> work.run(transactional));
        } finally {
            if (outermost) {
                if (cachedTables != null && tableCacheWritten.get()) {
                    cachedTables.invalidateAll();
                }
                tableCacheWritten.remove();
            }
        }
    }

    /** PostgreSQL: one statement claims and starts the batch; H2: claims, then a unit of work per job. */
    @Override
    public List<StartedJob> claimAndStart(String workerId, int max, Duration lockTtl) {
        if (postgresStarts == null || connections.inTransaction()) {
            return SnowpackStore.super.claimAndStart(workerId, max, lockTtl);
        }
        return postgresStarts.claimAndStart(this, workerId, max, lockTtl);
    }

    /** PostgreSQL: one statement completes the batch; H2: one transaction. */
    @Override
    public Set<JobId> completeJobs(Collection<Completion> completions) {
        if (postgresCompletions == null || connections.inTransaction()) {
            return SnowpackStore.super.completeJobs(completions);
        }
        return postgresCompletions.complete(completions);
    }

    /**
     * PostgreSQL: one statement queues the drafts, inside the caller's transaction or on its own, so one round trip
     * and at most one commit: a single draft's statement binds plain values and keeps one generic plan, a list binds
     * arrays and is planned per run.
     */
    @Override
    public List<Admission> queueJobs(List<JobDraft> drafts, Duration lockTtl) {
        return inOneStatement(drafts) ? queueOnPostgres(drafts, lockTtl, false)
                : SnowpackStore.super.queueJobs(drafts, lockTtl);
    }

    /** PostgreSQL: the drain check is part of the queueing statement, so a submit is still one round trip. */
    @Override
    public List<Admission> queueJobsUnlessDrained(List<JobDraft> drafts, Duration lockTtl) {
        return inOneStatement(drafts) ? queueOnPostgres(drafts, lockTtl, true)
                : SnowpackStore.super.queueJobsUnlessDrained(drafts, lockTtl);
    }

    private boolean inOneStatement(List<JobDraft> drafts) {
        return postgresAdmissions != null && !drafts.isEmpty();
    }

    private List<Admission> queueOnPostgres(List<JobDraft> drafts, Duration lockTtl, boolean unlessDrained) {
        SnowpackStore.requireQueueable(drafts, lockTtl);
        return postgresAdmissions.queue(drafts, lockTtl, unlessDrained);
    }

    @Override
    public Subscription onJobsReady(Runnable listener) {
        return readyChannel != null ? readyChannel.subscribe(listener) : Subscription.NONE;
    }

    /** Binds the table-cache layer's meters, when the cache is on. */
    @Override
    public void bindTo(MeterRegistry registry) {
        if (cachedTables != null) {
            cachedTables.bindTo(registry);
        }
    }

    @Override
    public void close() {
        if (readyChannel != null) {
            readyChannel.close();
        }
    }

    @Override
    public Instant now() {
        return connections.withHandle(sql::now);
    }

    @Override
    public JobQueue queue() {
        return queue;
    }

    @Override
    public LockManager locks() {
        return locks;
    }

    @Override
    public JobStore jobs() {
        return jobs;
    }

    @Override
    public TableCache tables() {
        return cachedTables != null ? cachedTables : tables;
    }

    @Override
    public LeaderElector leaders() {
        return leaders;
    }

    @Override
    public SettingsStore settings() {
        return settings;
    }

    @Override
    public OrchestratorRunLog orchestratorRuns() {
        return orchestratorRuns;
    }

    @Override
    public String toString() {
        return description;
    }
}
