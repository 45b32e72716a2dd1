package io.snowpack.core.model;

import io.snowpack.core.InvalidParameterException;

/** Who asked for a job: an operator through the API, or the orchestrator. */
public enum JobTrigger {
    MANUAL("manual"),
    ORCHESTRATOR("orchestrator");

    private final String wireName;

    JobTrigger(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * @throws InvalidParameterException when {@code name} is neither {@code manual} nor {@code orchestrator}
     */
    public static JobTrigger parse(String name) {
        for (JobTrigger trigger : values()) {
            if (trigger.wireName.equals(name)) {
                return trigger;
            }
        }
        throw new InvalidParameterException(
                "Unknown job trigger '" + Text.abbreviate(name) + "'; valid values are: manual, orchestrator");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
