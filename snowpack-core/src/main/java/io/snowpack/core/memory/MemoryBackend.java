package io.snowpack.core.memory;

import io.snowpack.core.spi.Clock;
import io.snowpack.core.spi.HealthHistoryRule;
import io.snowpack.core.spi.JobQueue;
import io.snowpack.core.spi.JobStore;
import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.LockManager;
import io.snowpack.core.spi.OrchestratorRunLog;
import io.snowpack.core.spi.SettingsStore;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.Subscription;
import io.snowpack.core.spi.TableCache;
import io.snowpack.core.spi.TransactionWork;
import java.time.Instant;

/** Every in-memory store over one {@link Guard}, so units of work span them atomically. */
final class MemoryBackend implements SnowpackStore {
    private final Guard guard = new Guard();
    private final MemoryTime time;
    private final ReadyListeners ready = new ReadyListeners();
    private final MemoryJobQueue queue;
    private final MemoryLockManager locks;
    private final MemoryJobStore jobs;
    private final MemoryTableCache tables;
    private final MemoryLeaderElector leaders;
    private final MemorySettingsStore settings;
    private final MemoryOrchestratorRunLog orchestratorRuns;

    MemoryBackend(Clock clock, HealthHistoryRule historyRule) {
        time = new MemoryTime(clock);
        queue = new MemoryJobQueue(guard, time, ready);
        locks = new MemoryLockManager(guard, time);
        jobs = new MemoryJobStore(guard, time);
        tables = new MemoryTableCache(guard, time, historyRule);
        leaders = new MemoryLeaderElector(guard, time);
        settings = new MemorySettingsStore(guard);
        orchestratorRuns = new MemoryOrchestratorRunLog(guard, time);
    }

    @Override
    public <T> T inTransaction(TransactionWork<T> work) {
        return guard.transaction(() -> work.run(this));
    }

    @Override
    public Subscription onJobsReady(Runnable listener) {
        return ready.add(listener);
    }

    @Override
    public Instant now() {
        return time.now();
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
        return tables;
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
        return "InMemoryStore";
    }
}
