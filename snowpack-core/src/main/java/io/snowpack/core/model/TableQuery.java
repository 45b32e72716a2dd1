package io.snowpack.core.model;

import io.snowpack.core.InvalidParameterException;
import io.snowpack.core.InvalidTableNameException;
import java.util.Optional;

/**
 * A filter for listing cached tables, ordered by database then table name: optionally one database and the
 * {@code snowpack.maintenance_enabled} flag, one page of at most {@code limit} tables. A page starts after a key
 * ({@code after}, keyset paging: stable while tables come and go, and as cheap on the last page as on the first) or,
 * for older callers, after skipping {@code offset} tables; the two cannot be combined.
 *
 * @param database           only tables of this database, when present
 * @param maintenanceEnabled only tables whose {@code snowpack.maintenance_enabled} property equals this, when present
 * @param after              only tables whose (database, table name) sorts after this key, when present
 * @param offset             tables to skip, {@code >= 0}; must be 0 when {@code after} is present
 * @param limit              page size, 1 to {@value #MAX_LIMIT}
 */
public record TableQuery(Optional<String> database, Optional<Boolean> maintenanceEnabled, Optional<TableId> after,
        int offset, int limit) {
    /** Page size when none is given. */
    public static final int DEFAULT_LIMIT = 1000;
    /** Largest page accepted. */
    public static final int MAX_LIMIT = 10_000;

    public TableQuery {
        database = database == null ? Optional.empty() : database;
        maintenanceEnabled = maintenanceEnabled == null ? Optional.empty() : maintenanceEnabled;
        after = after == null ? Optional.empty() : after;
        database.ifPresent(db -> {
            if (!TableId.isValidName(db)) {
                throw new InvalidTableNameException("Invalid database name '" + Text.abbreviate(db)
                        + "': expected 1-255 characters of [a-z0-9_], starting with a letter or underscore");
            }
        });
        if (offset < 0) {
            throw new InvalidParameterException("Invalid offset " + offset + ": expected a whole number >= 0");
        }
        if (offset > 0 && after.isPresent()) {
            throw new InvalidParameterException("Invalid offset " + offset + ": a page that starts after "
                    + after.get().key() + " (a cursor) cannot also skip tables; give one or the other");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidParameterException(
                    "Invalid limit " + limit + ": expected a whole number from 1 to " + MAX_LIMIT);
        }
    }

    /** A query without a key to start after: the first page, or the page after skipping {@code offset} tables. */
    public TableQuery(Optional<String> database, Optional<Boolean> maintenanceEnabled, int offset, int limit) {
        this(database, maintenanceEnabled, Optional.empty(), offset, limit);
    }

    /** The first page of every table. */
    public static TableQuery all() {
        return new TableQuery(Optional.empty(), Optional.empty(), Optional.empty(), 0, DEFAULT_LIMIT);
    }

    public TableQuery withDatabase(String newDatabase) {
        return new TableQuery(Optional.of(newDatabase), maintenanceEnabled, after, offset, limit);
    }

    public TableQuery withMaintenanceEnabled(boolean enabled) {
        return new TableQuery(database, Optional.of(enabled), after, offset, limit);
    }

    public TableQuery withPage(int newOffset, int newLimit) {
        return new TableQuery(database, maintenanceEnabled, after, newOffset, newLimit);
    }

    public TableQuery withLimit(int newLimit) {
        return new TableQuery(database, maintenanceEnabled, after, offset, newLimit);
    }

    /** The same filters and limit, starting after {@code key} (and skipping nothing). */
    public TableQuery after(TableId key) {
        return new TableQuery(database, maintenanceEnabled, Optional.of(key), 0, limit);
    }

    /** {@code true} when {@code health} passes the database and flag filters (paging not considered). */
    public boolean matches(TableHealth health) {
        return database.map(db -> db.equals(health.table().database())).orElse(true)
                && maintenanceEnabled.map(flag -> flag == health.maintenanceEnabled()).orElse(true);
    }
}
