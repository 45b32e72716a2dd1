package io.snowpack.core.service;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.spi.SnowpackStore;

/**
 * The one drain-mode predicate: drain mode is on for a process when its configuration turns it on
 * ({@code drain_mode}) or when it is on in the store (the API's switch, shared by every process). Public so that
 * every loop can ask; not meant for embedders, who ask {@link MaintenanceService#drainMode()}.
 */
public final class DrainMode {
    private DrainMode() {
    }

    /** Whether drain mode is on for a process configured with {@code config} that uses {@code store}. */
    public static boolean isOn(SnowpackConfig config, SnowpackStore store) {
        return config.drainMode() || store.settings().drainMode();
    }
}
