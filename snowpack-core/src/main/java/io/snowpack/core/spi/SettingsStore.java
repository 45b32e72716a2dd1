package io.snowpack.core.spi;

/**
 * Settings shared by every process (API replicas, workers): today, drain mode.
 */
public interface SettingsStore {
    /** {@code true} while new maintenance jobs are refused. */
    boolean drainMode();

    /** Turns drain mode on or off for every process sharing the store. */
    void setDrainMode(boolean enabled);
}
