package io.snowpack.testkit.contract;

import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.testkit.SettableClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of every contract suite: a fresh, empty backend per test whose time is a {@link SettableClock}.
 * A backend's test class implements {@link #createStore(SettableClock)}.
 */
public abstract class StoreContractSupport {
    protected SettableClock clock;
    protected SnowpackStore store;

    /**
     * A new, empty store whose backend time follows {@code clock}. Called before every test; the store is
     * closed after it.
     */
    protected abstract SnowpackStore createStore(SettableClock clock);

    @BeforeEach
    void openStore() {
        clock = new SettableClock();
        store = createStore(clock);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Moves backend time forward. */
    protected void advance(Duration amount) {
        clock.advance(amount);
    }
}
