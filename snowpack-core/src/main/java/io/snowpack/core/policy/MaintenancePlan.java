package io.snowpack.core.policy;

import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the orchestrator would do with one table now, and why.
 *
 * @param table    the table
 * @param skippedBy the gates the table failed (allowed database, opted in, not skipped, due by its cadence); empty
 *                 when it passed them all, which makes it eligible; an eligible table with no actions is healthy
 * @param actions  the actions to submit, in canonical execution order, without duplicates; empty when the table
 *                 is not eligible or needs nothing
 * @param reasons  one human sentence per rule applied, in the order applied; the standard policy's last one is
 *                 {@code executor.reason()}
 * @param executor which executor would maintain the table ({@link ExecutorRouting}), and why; given whether or not
 *                 the table is eligible, since a job submitted by hand runs there too
 */
public record MaintenancePlan(
        TableId table, Set<SkipReason> skippedBy, List<MaintenanceAction> actions, List<String> reasons,
        ExecutorRoute executor) {
    public MaintenancePlan {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(executor, "executor");
        skippedBy = skippedBy.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(skippedBy));
        actions = actions.isEmpty() ? List.of() : List.copyOf(EnumSet.copyOf(actions));
        reasons = List.copyOf(reasons);
        if (!skippedBy.isEmpty() && !actions.isEmpty()) {
            throw new IllegalArgumentException("a table that is not eligible gets no actions, got " + actions);
        }
    }

    /** {@code true} when the table passed every gate: the orchestrator looks at its health. */
    public boolean eligible() {
        return skippedBy.isEmpty();
    }

    /** The first gate the table failed, in the order the gates are checked. */
    public Optional<SkipReason> firstSkipReason() {
        return skippedBy.stream().findFirst();
    }

    /** {@code true} when the orchestrator would submit a job: eligible and at least one action. */
    public boolean submits() {
        return eligible() && !actions.isEmpty();
    }
}
