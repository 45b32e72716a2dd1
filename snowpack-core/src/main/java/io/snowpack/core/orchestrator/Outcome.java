package io.snowpack.core.orchestrator;

import java.util.Locale;
import java.util.Objects;

/**
 * What the orchestrator did with one table: submitted a job, found it healthy, skipped it (with the reason's wire
 * name), or failed to assess or submit it.
 *
 * @param kind   the outcome
 * @param reason the skip reason; {@code null} unless skipped
 */
record Outcome(Kind kind, String reason) {
    /** Skip reason of a table that left the cache between listing and submission. */
    static final String DROPPED = "dropped";

    static final Outcome SUBMITTED = new Outcome(Kind.SUBMITTED, null);
    static final Outcome HEALTHY = new Outcome(Kind.HEALTHY, null);
    static final Outcome FAILED = new Outcome(Kind.FAILED, null);

    enum Kind { SUBMITTED, HEALTHY, SKIPPED, FAILED }

    Outcome {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.SKIPPED) != (reason != null)) {
            throw new IllegalArgumentException("a skip, and only a skip, has a reason: " + kind + " " + reason);
        }
    }

    static Outcome skipped(String reason) {
        return new Outcome(Kind.SKIPPED, Objects.requireNonNull(reason, "reason"));
    }

    /** The metric tag: {@code submitted}, {@code healthy}, {@code failed} or {@code skipped_<reason>}. */
    String name() {
        return kind == Kind.SKIPPED ? "skipped_" + reason : kind.name().toLowerCase(Locale.ROOT);
    }
}
