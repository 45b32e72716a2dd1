package io.snowpack.core.health;

import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.TableCache;
import io.snowpack.core.spi.TableSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs one database: lists its tables, measures and upserts each one on the bounded executor (the health is
 * dropped as soon as it is stored), then removes cached tables the source no longer lists. A failing table is
 * logged and counted and keeps its cached row; a failing listing leaves the database's cache untouched.
 */
final class DatabaseSync {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSync.class);

    private final TableSource source;
    private final TableCache cache;
    private final BoundedExecutor executor;
    private final SyncTally tally;

    DatabaseSync(TableSource source, TableCache cache, BoundedExecutor executor, SyncTally tally) {
        this.source = source;
        this.cache = cache;
        this.executor = executor;
        this.tally = tally;
    }

    /** Syncs {@code database}; {@code false} when its tables could not be listed. */
    boolean run(String database) {
        long start = System.nanoTime();
        List<TableId> listed;
        try {
            listed = source.tables(database);
        } catch (RuntimeException e) {
            String message = SyncTally.describe(e);
            tally.databaseFailed(database, message);
            LOG.warn("Health sync of database {}: listing its tables failed, its cached tables are kept: {}",
                    database, message, e);
            return false;
        }
        int synced = tally.synced();
        int failed = tally.failed();
        int removed = tally.removed();
        for (TableId table : listed) {
            executor.submit(() -> syncTable(table));
        }
        executor.awaitIdle();
        try {
            removeVanished(database, listed);
        } catch (RuntimeException e) {
            String message = "removing dropped tables failed: " + SyncTally.describe(e);
            tally.databaseFailed(database, message);
            LOG.warn("Health sync of database {}: {}", database, message, e);
            return false;
        }
        tally.databaseSynced(database);
        LOG.info("Health sync of database {}: {} tables listed, {} synced, {} failed, {} removed in {} ms", database,
                listed.size(), tally.synced() - synced, tally.failed() - failed, tally.removed() - removed,
                (System.nanoTime() - start) / 1_000_000);
        return true;
    }

    private void syncTable(TableId table) {
        try {
            cache.upsert(source.health(table));
            tally.tableSynced();
        } catch (TableNotFoundException e) {
            // Dropped between the listing and now: the next listing would not show it either.
            if (cache.remove(table)) {
                tally.tablesRemoved(1);
            }
            LOG.info("Health sync: {} was dropped while syncing; removed from the cache", table);
        } catch (RuntimeException e) {
            String message = SyncTally.describe(e);
            tally.tableFailed(table, message);
            LOG.warn("Health sync of {} failed, its cached health is kept: {}", table, message);
            LOG.debug("Health sync failure of {}", table, e);
        }
    }

    private void removeVanished(String database, List<TableId> listed) {
        Set<TableId> present = new HashSet<>(listed);
        int removed = 0;
        for (TableId cached : cache.tableIds(database)) {
            if (!present.contains(cached) && cache.remove(cached)) {
                removed++;
                LOG.info("Health sync: {} is no longer in the catalog; removed from the cache", cached);
            }
        }
        if (removed > 0) {
            tally.tablesRemoved(removed);
        }
    }
}
