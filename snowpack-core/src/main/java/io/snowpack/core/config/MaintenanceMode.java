package io.snowpack.core.config;

import static io.snowpack.core.config.ConfigErrors.invalid;

/**
 * Which tables of an allowed database ({@code orchestrator.include_databases}) the orchestrator maintains.
 * Written in configuration by its wire name, {@code opt_in} or {@code opt_out}.
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

    /** The name used in configuration and on the wire: {@code opt_in} or {@code opt_out}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The mode whose wire name is {@code value}, ignoring case and surrounding blanks.
     *
     * @throws io.snowpack.core.InvalidConfigurationException naming {@code key}, the bad value and the valid ones
     */
    static MaintenanceMode parse(String key, String value) {
        for (MaintenanceMode mode : values()) {
            if (mode.wireName.equalsIgnoreCase(value.trim())) {
                return mode;
            }
        }
        throw invalid(key, value, "opt_in or opt_out");
    }

    /** The wire name, so logs and messages show what configuration accepts. */
    @Override
    public String toString() {
        return wireName;
    }
}
