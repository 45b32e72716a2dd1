package io.snowpack.core.spi;

import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import java.util.Objects;

/**
 * One action of one job handed to a {@link MaintenanceExecutor}.
 *
 * @param jobId   the job; every commit carries it in the snapshot summary ({@code snowpack.job-id})
 * @param table   the table to maintain
 * @param action  the action to run
 * @param attempt the job's attempt number (1 on the first claim); commits carry it too
 * @param fence   the fence of the worker's claim, for the executor's logs and commit metadata
 */
public record ActionRequest(JobId jobId, TableId table, MaintenanceAction action, int attempt, long fence) {
    public ActionRequest {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(action, "action");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
        }
    }
}
