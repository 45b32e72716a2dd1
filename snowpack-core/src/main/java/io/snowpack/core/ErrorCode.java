package io.snowpack.core;

/**
 * The kinds of failure Snowpack reports to callers, each with the HTTP status the REST adapter answers with
 * and a stable snake_case name for the {@code error} field of an error body.
 */
public enum ErrorCode {
    /** A database or table name that breaks the naming rules. */
    INVALID_TABLE_NAME(422, "invalid_table_name"),
    /** A query parameter (status, limit, filter) that cannot be understood. */
    INVALID_PARAMETER(422, "invalid_parameter"),
    /** A malformed request: empty or unknown actions, a bad body, a malformed id. */
    INVALID_REQUEST(400, "invalid_request"),
    /** The table is not in the table cache. */
    TABLE_NOT_FOUND(404, "table_not_found"),
    /** Another job holds the table's maintenance lock. */
    MAINTENANCE_CONFLICT(409, "maintenance_conflict"),
    /** No job has the given id. */
    JOB_NOT_FOUND(404, "job_not_found"),
    /** The job is completed, failed or cancelled and can no longer change. */
    JOB_ALREADY_TERMINAL(409, "job_already_terminal"),
    /** Drain mode is on: new jobs are refused. */
    DRAIN_MODE(503, "drain_mode"),
    /** A backend (database, catalog) could not be reached or answered with an error. */
    BACKEND_UNAVAILABLE(503, "backend_unavailable"),
    /** A configuration value is missing or invalid. */
    INVALID_CONFIGURATION(500, "invalid_configuration"),
    /** An internal invariant was broken: a bug, never the caller's fault. */
    INTERNAL(500, "internal_error");

    private final int httpStatus;
    private final String wireName;

    ErrorCode(int httpStatus, String wireName) {
        this.httpStatus = httpStatus;
        this.wireName = wireName;
    }

    /** The HTTP status code the REST adapter answers with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The stable snake_case name used in error bodies and metrics. */
    public String wireName() {
        return wireName;
    }
}
