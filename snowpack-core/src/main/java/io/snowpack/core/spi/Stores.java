package io.snowpack.core.spi;

/**
 * Access to every store of one backend. Inside {@link SnowpackStore#inTransaction} the stores handed to the
 * work are bound to that transaction.
 */
public interface Stores {
    JobQueue queue();

    LockManager locks();

    JobStore jobs();

    TableCache tables();

    LeaderElector leaders();

    SettingsStore settings();

    OrchestratorRunLog orchestratorRuns();
}
