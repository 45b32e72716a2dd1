package io.snowpack.core.spi;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import java.util.Optional;

/**
 * Runs maintenance actions on tables (implemented for Iceberg in {@code snowpack-iceberg}).
 */
public interface MaintenanceExecutor {
    /**
     * Runs one action, calling {@code checkpoint} between units of work and right before every commit. Never
     * commits after the checkpoint has thrown.
     *
     * @return the successful result with its summary and counts
     * @throws ActionFailedException                 when the action failed, classified transient or permanent
     * @throws io.snowpack.core.FenceRevokedException when the checkpoint reported a revoked fence
     */
    ActionResult execute(ActionRequest request, Checkpoint checkpoint);

    /**
     * Describes what {@code action} would do to {@code table} now (what would be rewritten, expired,
     * removed) without changing anything.
     *
     * @throws ActionFailedException when the table cannot be read
     */
    ActionResult preview(TableId table, MaintenanceAction action);

    /**
     * What {@code request}'s attempt committed for its action, as the table itself records it, for a worker whose
     * fence was revoked while the action ran: a commit already in flight may still have landed, and the job must
     * say so. Empty when nothing of this attempt is in the table, or when the executor cannot tell.
     */
    default Optional<ActionResult> committedBy(ActionRequest request) {
        return Optional.empty();
    }
}
