package io.snowpack.core.service;

import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.JobStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When Snowpack last maintained a table: the completion time of its newest completed job that was not a dry run.
 * Failed and cancelled jobs do not count, so a table whose maintenance failed is due again at the next run.
 */
final class MaintenanceHistory {
    private final JobStore jobs;

    MaintenanceHistory(JobStore jobs) {
        this.jobs = jobs;
    }

    Optional<Instant> lastMaintained(TableId table) {
        return jobs.list(JobQuery.all().withTable(table).withStatus(JobStatus.COMPLETED).withLimit(JobQuery.MAX_LIMIT))
                .stream()
                .filter(job -> !job.dryRun())
                .map(Job::completedAt)
                .filter(Objects::nonNull)
                .max(Instant::compareTo);
    }
}
