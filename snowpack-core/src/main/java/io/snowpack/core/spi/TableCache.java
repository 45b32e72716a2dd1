package io.snowpack.core.spi;

import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.model.TableQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inventory of tables with their latest health, shared by every process, and the history of health
 * measurements per table.
 */
public interface TableCache {
    /**
     * Stores {@code health} as the table's current health, and appends it to the table's history when the backend's
     * {@link HealthHistoryRule} says so: when the measurement changed since the newest history entry, or that entry
     * is older than the rule's interval. An unchanged table therefore costs one history row per interval, not one
     * per health-sync pass.
     */
    void upsert(TableHealth health);

    /**
     * Removes a table from the inventory (its history stays until pruned).
     *
     * @return {@code true} when the table was cached
     */
    boolean remove(TableId table);

    /** The table's current health, when cached. */
    Optional<TableHealth> get(TableId table);

    /**
     * The current health of each of {@code tables} that is cached, by table; a table that is not cached has no
     * entry. One read for a whole batch where the backend can (a batch submit checks every table it names); the
     * default asks {@link #get} table by table.
     */
    default Map<TableId, TableHealth> getAll(Collection<TableId> tables) {
        Map<TableId, TableHealth> found = new LinkedHashMap<>();
        for (TableId table : tables) {
            get(table).ifPresent(health -> found.put(table, health));
        }
        return found;
    }

    /**
     * One page of cached tables matching the query, ordered by database then table name: at most
     * {@code query.limit()} tables, those after {@code query.after()} when it is present (keyset paging).
     */
    List<TableHealth> list(TableQuery query);

    /**
     * Where the page {@code query} asks for ends, without reading the health of its tables: the key of its
     * {@code query.limit()}-th table when at least that many match, else empty (the page is the last one). Lets a
     * caller announce the next page before it streams this one. The default reads the page through
     * {@link #list}; backends override it with a query that reads keys only.
     */
    default Optional<TableId> lastKey(TableQuery query) {
        List<TableHealth> page = list(query);
        return page.size() < query.limit() ? Optional.empty() : Optional.of(page.get(page.size() - 1).table());
    }

    /** Every cached table of {@code database}, ordered by name. */
    List<TableId> tableIds(String database);

    /** The table's recorded health, newest first, at most {@code limit} entries. */
    List<TableHealth> history(TableId table, int limit);

    /**
     * Records that a health sync finished now (backend time).
     *
     * @return the time recorded
     */
    Instant markSynced();

    /** When the cache was last synced and how many tables it holds. */
    CacheStatus status();

    /**
     * Deletes history entries older than {@code retention}.
     *
     * @return how many were deleted
     */
    int pruneHistory(Duration retention);
}
