package io.snowpack.core;

/**
 * Another job holds the table's maintenance lock: each table allows one active job at a time. The message is
 * exactly {@code "Maintenance already in progress for {db}.{table}"}. Answered with HTTP 409.
 */
public class MaintenanceConflictException extends SnowpackException {
    private final String tableKey;
    private final String holder;

    public MaintenanceConflictException(String tableKey, String holder) {
        super(ErrorCode.MAINTENANCE_CONFLICT, "Maintenance already in progress for " + tableKey);
        this.tableKey = tableKey;
        this.holder = holder;
    }

    /** The {@code database.table} key of the contended table. */
    public String tableKey() {
        return tableKey;
    }

    /** Who holds the lock (a job id), or {@code null} when it was not known at the time of the conflict. */
    public String holder() {
        return holder;
    }
}
