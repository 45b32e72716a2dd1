package io.snowpack.iceberg;

import io.snowpack.core.ActionFailedException;
import java.util.Objects;

/**
 * A rewrite broke one of the invariants Snowpack checks before (or, with {@code snowpack.verify_after_commit},
 * after) it commits, so nothing of it was committed, or the commit was rolled back, or a person was alerted. The
 * message names the invariant and the numbers that broke it; {@link #invariant()} is the invariant's name, also
 * the {@code invariant} tag of the {@code snowpack.verification.failures} metric. Permanent: the same input would
 * break it again.
 */
public final class VerificationFailedException extends ActionFailedException {
    private final String invariant;

    VerificationFailedException(String invariant, String message) {
        super(message, false, null);
        this.invariant = Objects.requireNonNull(invariant, "invariant");
    }

    /** The broken invariant: one of the names listed in {@link Invariant}. */
    public String invariant() {
        return invariant;
    }
}
