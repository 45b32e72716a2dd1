package io.snowpack.core.config;

import io.snowpack.core.InvalidConfigurationException;

/**
 * Which tables of an allowed database the orchestrator maintains.
 */
public enum MaintenanceMode {
    /** Only tables whose {@code snowpack.maintenance_enabled} property is {@code true}. */
    OPT_IN("opt_in"),
    /** Every table, except those whose {@code snowpack.maintenance_enabled} property is {@code false}. */
    OPT_OUT("opt_out");

    private final String wireName;

    MaintenanceMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * @throws InvalidConfigurationException naming {@code key}, the bad value and the valid ones
     */
    static MaintenanceMode parse(String key, String value) {
        for (MaintenanceMode mode : values()) {
            if (mode.wireName.equalsIgnoreCase(value.trim())) {
                return mode;
            }
        }
        throw new InvalidConfigurationException(key,
                "Invalid value '" + value + "' for " + key + ": expected opt_in or opt_out");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
