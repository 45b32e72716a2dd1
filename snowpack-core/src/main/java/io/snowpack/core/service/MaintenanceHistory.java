package io.snowpack.core.service;

import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.JobStore;
import java.time.Instant;
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
        return jobs.lastCompletion(table);
    }
}
