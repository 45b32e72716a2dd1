package io.snowpack.core.spi;

import io.snowpack.core.InvalidParameterException;
import io.snowpack.core.model.OrchestratorRun;
import java.time.Duration;
import java.util.List;

/** The record of past orchestrator runs ({@code orchestrator_runs}), what {@code GET /orchestrator/runs} lists. */
public interface OrchestratorRunLog {
    /** Most runs {@link #recent} returns. */
    int MAX_LIMIT = 500;

    /**
     * Stores a finished run.
     *
     * @return the run with its assigned id, greater than every id assigned before
     */
    OrchestratorRun record(OrchestratorRun run);

    /**
     * The most recent runs, newest first.
     *
     * @throws InvalidParameterException when {@code limit} is outside 1 to {@value #MAX_LIMIT}
     */
    List<OrchestratorRun> recent(int limit);

    /**
     * Deletes runs that started more than {@code retention} ago (backend time).
     *
     * @return how many were deleted
     */
    int prune(Duration retention);

    /**
     * Checks a {@link #recent} limit.
     *
     * @throws InvalidParameterException when {@code limit} is outside 1 to {@value #MAX_LIMIT}
     */
    static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidParameterException(
                    "Invalid limit " + limit + ": expected a whole number from 1 to " + MAX_LIMIT);
        }
    }
}
