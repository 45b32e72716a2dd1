package io.snowpack.core.runtime;

/** What a Snowpack process does; a process may have several roles. */
public enum Role {
    /** Serves the REST API through the {@link ApiTransport} given to the runtime (snowpack-http has one). */
    API,
    /**
     * Competes for the {@code scheduler} lease and, while it leads, runs the sweeper and the orchestrator; runs
     * health sync (every process with this role refreshes the cache; upserts are idempotent).
     */
    SCHEDULER,
    /** Claims and runs jobs. */
    WORKER
}
