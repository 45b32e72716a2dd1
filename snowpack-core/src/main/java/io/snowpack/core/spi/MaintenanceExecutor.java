package io.snowpack.core.spi;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;

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
}
