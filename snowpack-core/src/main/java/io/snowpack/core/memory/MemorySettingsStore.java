package io.snowpack.core.memory;

import io.snowpack.core.spi.SettingsStore;

/** The in-memory {@code snowpack_settings}. */
final class MemorySettingsStore implements SettingsStore {
    private final Guard guard;
    private boolean drainMode;

    MemorySettingsStore(Guard guard) {
        this.guard = guard;
    }

    @Override
    public boolean drainMode() {
        return guard.locked(() -> drainMode);
    }

    @Override
    public void setDrainMode(boolean enabled) {
        guard.locked(() -> {
            boolean previous = drainMode;
            drainMode = enabled;
            guard.onRollback(() -> drainMode = previous);
        });
    }
}
