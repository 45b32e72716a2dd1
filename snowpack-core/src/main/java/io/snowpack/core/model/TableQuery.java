package io.snowpack.core.model;

import io.snowpack.core.InvalidParameterException;
import io.snowpack.core.InvalidTableNameException;
import java.util.Optional;

/**
 * A filter for listing cached tables, ordered by database then table name: optionally one database and the
 * {@code snowpack.maintenance_enabled} flag, one page of at most {@code limit} tables after skipping
 * {@code offset}.
 *
 * @param database           only tables of this database, when present
 * @param maintenanceEnabled only tables whose {@code snowpack.maintenance_enabled} property equals this, when present
 * @param offset             tables to skip, {@code >= 0}
 * @param limit              page size, 1 to {@value #MAX_LIMIT}
 */
public record TableQuery(Optional<String> database, Optional<Boolean> maintenanceEnabled, int offset, int limit) {
    /** Page size when none is given. */
    public static final int DEFAULT_LIMIT = 1000;
    /** Largest page accepted. */
    public static final int MAX_LIMIT = 10_000;

    public TableQuery {
        database = database == null ? Optional.empty() : database;
        maintenanceEnabled = maintenanceEnabled == null ? Optional.empty() : maintenanceEnabled;
        database.ifPresent(db -> {
            if (!TableId.isValidName(db)) {
                throw new InvalidTableNameException("Invalid database name '" + Text.abbreviate(db)
                        + "': expected 1-255 characters of [a-z0-9_], starting with a letter or underscore");
            }
        });
        if (offset < 0) {
            throw new InvalidParameterException("Invalid offset " + offset + ": expected a whole number >= 0");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidParameterException(
                    "Invalid limit " + limit + ": expected a whole number from 1 to " + MAX_LIMIT);
        }
    }

    /** The first page of every table. */
    public static TableQuery all() {
        return new TableQuery(Optional.empty(), Optional.empty(), 0, DEFAULT_LIMIT);
    }

    public TableQuery withDatabase(String newDatabase) {
        return new TableQuery(Optional.of(newDatabase), maintenanceEnabled, offset, limit);
    }

    public TableQuery withMaintenanceEnabled(boolean enabled) {
        return new TableQuery(database, Optional.of(enabled), offset, limit);
    }

    public TableQuery withPage(int newOffset, int newLimit) {
        return new TableQuery(database, maintenanceEnabled, newOffset, newLimit);
    }

    /** {@code true} when {@code health} passes the database and flag filters (paging not considered). */
    public boolean matches(TableHealth health) {
        return database.map(db -> db.equals(health.table().database())).orElse(true)
                && maintenanceEnabled.map(flag -> flag == health.maintenanceEnabled()).orElse(true);
    }
}
