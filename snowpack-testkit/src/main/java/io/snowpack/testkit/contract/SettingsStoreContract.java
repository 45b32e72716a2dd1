package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.spi.SettingsStore;
import org.junit.jupiter.api.Test;

/** What every {@link SettingsStore} promises. */
public abstract class SettingsStoreContract extends StoreContractSupport {

    @Test
    void drainModeIsOffUntilTurnedOnAndCanBeTurnedOffAgain() {
        assertThat(store.settings().drainMode()).isFalse();

        store.settings().setDrainMode(true);
        assertThat(store.settings().drainMode()).isTrue();
        store.settings().setDrainMode(true);
        assertThat(store.settings().drainMode()).isTrue();

        store.settings().setDrainMode(false);
        assertThat(store.settings().drainMode()).isFalse();
    }
}
