package io.snowpack.core.spi;

import io.snowpack.core.model.ActionResult;
import java.util.List;
import java.util.Objects;

/**
 * A job whose actions all ended well, ready to be settled ({@link SnowpackStore#completeJobs}).
 *
 * @param claim   the worker's claim on the job; the settle is refused once it is revoked
 * @param lease   the job's table lock as last renewed, released by the settle
 * @param results the results still to record (those not recorded as their action ended), in order
 */
public record Completion(Claim claim, Lease lease, List<ActionResult> results) {
    public Completion {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(lease, "lease");
        results = List.copyOf(results);
    }
}
