package io.snowpack.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.memory.InMemoryStore;
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
import io.snowpack.testkit.SettableClock;
import io.snowpack.testkit.contract.BackendContract;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * The README's third host: a backend of the host's own, proved with the same contract suites Snowpack's backends
 * run, taken from {@code snowpack-testkit}. This one wraps the in-memory backend and counts units of work (a host
 * might audit or meter them); a real one would talk to the host's own database.
 */
class CustomBackendTest extends BackendContract {
    private static final AtomicLong UNITS_OF_WORK = new AtomicLong();

    // --- README: custom backend starts here ---
    @Override
    protected SnowpackStore createStore(SettableClock clock) {
        return new CountingStore(InMemoryStore.create(clock));   // fresh and empty, its time driven by the clock
    }
    // --- README: custom backend ends here ---

    @AfterAll
    static void theSuitesRanThroughTheCustomBackend() {
        assertThat(UNITS_OF_WORK.get()).as("units of work the suites ran through CountingStore").isPositive();
    }

    /** Every store SPI delegated; every unit of work counted. */
    static final class CountingStore implements SnowpackStore {
        private final SnowpackStore delegate;

        CountingStore(SnowpackStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public <T> T inTransaction(TransactionWork<T> work) {
            UNITS_OF_WORK.incrementAndGet();
            return delegate.inTransaction(work);
        }

        @Override public Instant now() { return delegate.now(); }
        @Override public Subscription onJobsReady(Runnable listener) { return delegate.onJobsReady(listener); }
        @Override public void close() { delegate.close(); }
        @Override public JobQueue queue() { return delegate.queue(); }
        @Override public LockManager locks() { return delegate.locks(); }
        @Override public JobStore jobs() { return delegate.jobs(); }
        @Override public TableCache tables() { return delegate.tables(); }
        @Override public LeaderElector leaders() { return delegate.leaders(); }
        @Override public SettingsStore settings() { return delegate.settings(); }
        @Override public OrchestratorRunLog orchestratorRuns() { return delegate.orchestratorRuns(); }
    }
}
