package io.snowpack.core;

/**
 * The table is not known: not in the table cache, or no longer in the catalog. Answered with HTTP 404.
 */
public class TableNotFoundException extends SnowpackException {
    private final String tableKey;

    public TableNotFoundException(String tableKey) {
        super(ErrorCode.TABLE_NOT_FOUND, "Table not found: " + tableKey);
        this.tableKey = tableKey;
    }

    /** The {@code database.table} key that was looked up. */
    public String tableKey() {
        return tableKey;
    }
}
