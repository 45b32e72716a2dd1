package io.snowpack.core.model;

import io.snowpack.core.IllegalJobTransitionException;
import io.snowpack.core.InvalidParameterException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a job is in its life cycle: {@code pending -> running -> completed | failed | cancelled},
 * {@code pending -> cancelled | failed}, and {@code running -> pending} for a retry. Terminal states never
 * change.
 */
public enum JobStatus {
    PENDING("pending"),
    RUNNING("running"),
    COMPLETED("completed"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String wireName;

    JobStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The lowercase name used on the wire and in the database. */
    public String wireName() {
        return wireName;
    }

    /** {@code true} for completed, failed and cancelled. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** {@code true} when a job may move from this status to {@code target}. */
    public boolean canTransitionTo(JobStatus target) {
        switch (this) {
            case PENDING:
                // pending -> failed: a pending job whose state is inconsistent (no queue row) is failed.
                return target == RUNNING || target == CANCELLED || target == FAILED;
            case RUNNING:
                return target == PENDING || target == COMPLETED || target == FAILED || target == CANCELLED;
            default:
                return false;
        }
    }

    /**
     * @throws IllegalJobTransitionException when the move from this status to {@code target} is not allowed
     */
    public void checkTransitionTo(JobStatus target) {
        if (!canTransitionTo(target)) {
            throw new IllegalJobTransitionException("Illegal job status transition " + wireName + " -> "
                    + (target == null ? "null" : target.wireName));
        }
    }

    /**
     * Parses a wire name.
     *
     * @throws InvalidParameterException naming the bad value and the valid ones
     */
    public static JobStatus parse(String name) {
        for (JobStatus status : values()) {
            if (status.wireName.equals(name)) {
                return status;
            }
        }
        throw new InvalidParameterException("Unknown job status '" + Text.abbreviate(name) + "'; valid values are: "
                + Arrays.stream(values()).map(JobStatus::wireName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
