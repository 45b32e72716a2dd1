package io.snowpack.core.model;

import io.snowpack.core.InvalidParameterException;
import java.util.Optional;

/**
 * A filter for listing jobs, newest first: optionally one status and one table, at most {@code limit} jobs.
 *
 * @param status only jobs in this status, when present
 * @param table  only jobs of this table, when present
 * @param limit  at most this many jobs, 1 to {@value #MAX_LIMIT}
 */
public record JobQuery(Optional<JobStatus> status, Optional<TableId> table, int limit) {
    /** Jobs listed when no limit is given. */
    public static final int DEFAULT_LIMIT = 100;
    /** Largest limit accepted. */
    public static final int MAX_LIMIT = 500;

    /**
     * @throws InvalidParameterException when {@code limit} is outside 1 to {@value #MAX_LIMIT}
     */
    public JobQuery {
        status = status == null ? Optional.empty() : status;
        table = table == null ? Optional.empty() : table;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidParameterException(
                    "Invalid limit " + limit + ": expected a whole number from 1 to " + MAX_LIMIT);
        }
    }

    /** Every job, newest first, at most {@value #DEFAULT_LIMIT}. */
    public static JobQuery all() {
        return new JobQuery(Optional.empty(), Optional.empty(), DEFAULT_LIMIT);
    }

    public JobQuery withStatus(JobStatus newStatus) {
        return new JobQuery(Optional.of(newStatus), table, limit);
    }

    public JobQuery withTable(TableId newTable) {
        return new JobQuery(status, Optional.of(newTable), limit);
    }

    public JobQuery withLimit(int newLimit) {
        return new JobQuery(status, table, newLimit);
    }

    /** {@code true} when {@code job} passes the status and table filters (the limit is not considered). */
    public boolean matches(Job job) {
        return status.map(s -> s == job.status()).orElse(true) && table.map(t -> t.equals(job.table())).orElse(true);
    }
}
