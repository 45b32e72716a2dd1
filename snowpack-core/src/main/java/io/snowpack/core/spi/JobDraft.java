package io.snowpack.core.spi;

import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import java.util.List;
import java.util.Objects;

/**
 * What a new job is made of before the store gives it a status and a submission time.
 *
 * @param jobId   the new job's id
 * @param table   the table to maintain
 * @param actions the actions; stored de-duplicated in canonical order
 * @param dryRun  {@code true} for a preview
 * @param trigger who asked for it
 */
public record JobDraft(JobId jobId, TableId table, List<MaintenanceAction> actions, boolean dryRun, JobTrigger trigger) {
    public JobDraft {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(table, "table");
        actions = MaintenanceAction.canonical(actions);
        Objects.requireNonNull(trigger, "trigger");
    }
}
