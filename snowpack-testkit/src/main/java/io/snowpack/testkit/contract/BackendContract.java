package io.snowpack.testkit.contract;

import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.testkit.SettableClock;
import org.junit.jupiter.api.Nested;

/**
 * Every contract suite for one backend: a backend's test class extends this and implements
 * {@link #createStore(SettableClock)} once; each suite runs as a nested class. The per-SPI suites can also be
 * extended one by one. The API suite ({@link ApiContract}) needs a transport as well, so a backend runs it as its
 * own nested class.
 */
public abstract class BackendContract {
    /** A new, empty store whose backend time follows {@code clock}. */
    protected abstract SnowpackStore createStore(SettableClock clock);

    @Nested
    class Queue extends JobQueueContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class Locks extends LockManagerContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class Jobs extends JobStoreContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class Tables extends TableCacheContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class Leaders extends LeaderElectorContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class Settings extends SettingsStoreContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class Transactions extends SnowpackStoreContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class Dispatch extends JobDispatchContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class Admissions extends JobAdmissionContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class Service extends MaintenanceServiceContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class Sweeping extends SweeperContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class Working extends WorkerContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class OrchestratorRuns extends OrchestratorRunLogContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class Orchestrating extends OrchestratorContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class HealthSyncing extends HealthSyncContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }

    @Nested
    class Fuzzing extends ContentionFuzzContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return BackendContract.this.createStore(clock);
        }
    }
}
