package io.snowpack.core.health;

import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.leader.LeadershipLostException;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableCache;
import io.snowpack.core.spi.TableSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs databases on one bounded executor shared by the whole pass, without a barrier between databases:
 * {@link #start} lists a database's tables and hands each to the executor (the health is dropped as soon as it is
 * stored), and the database's last finishing table removes the cached tables the source no longer lists, fenced by
 * the health-sync lease. A failing table is logged and counted and keeps its cached row; a failing listing leaves
 * the database's cache untouched; a database cut short by a lost lead removes nothing.
 */
final class DatabaseSync {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSync.class);

    private final TableSource source;
    private final SnowpackStore store;
    private final BoundedExecutor executor;
    private final SyncTally tally;
    private final PassGuard guard;
    private final PassMarker marker;

    DatabaseSync(TableSource source, SnowpackStore store, BoundedExecutor executor, SyncTally tally, PassGuard guard,
            PassMarker marker) {
        this.source = source;
        this.store = store;
        this.executor = executor;
        this.tally = tally;
        this.guard = guard;
        this.marker = marker;
    }

    /**
     * Lists {@code database}'s tables and submits them; returns once every table is submitted (blocking only while
     * the executor is full), before they are all synced. The caller waits for the executor to be idle.
     */
    void start(String database) {
        tally.databaseStarted(database);
        List<TableId> listed;
        try {
            listed = source.tables(database);
        } catch (RuntimeException e) {
            String message = SyncTally.describe(e);
            tally.databaseFailed(database, message);
            LOG.warn("Health sync of database {}: listing its tables failed, its cached tables are kept: {}",
                    database, message, e);
            return;
        }
        Progress progress = new Progress(database, listed);
        int submitted = 0;
        for (TableId table : listed) {
            if (!guard.mayContinue()) {
                break;
            }
            executor.submit(() -> {
                try {
                    syncTable(table, progress);
                } finally {
                    marker.keepAlive();
                    progress.tableDone();
                }
            });
            submitted++;
        }
        progress.allSubmitted(listed.size() - submitted);
    }

    private void syncTable(TableId table, Progress progress) {
        if (!guard.mayContinue()) {
            progress.skipped.incrementAndGet();
            return;
        }
        try {
            store.tables().upsert(source.health(table));
            tally.tableSynced();
            progress.synced.incrementAndGet();
        } catch (TableNotFoundException e) {
            // Dropped between the listing and now: the next listing would not show it either.
            if (store.tables().remove(table)) {
                tally.tablesRemoved(1);
                progress.removed.incrementAndGet();
            }
            LOG.info("Health sync: {} was dropped while syncing; removed from the cache", table);
        } catch (RuntimeException e) {
            String message = SyncTally.describe(e);
            tally.tableFailed(table, message);
            progress.failed.incrementAndGet();
            LOG.warn("Health sync of {} failed, its cached health is kept: {}", table, message);
            LOG.debug("Health sync failure of {}", table, e);
        }
    }

    /** Runs once every table of the database is done: removes vanished tables unless the pass was stopped. */
    private void finish(Progress progress) {
        String database = progress.database;
        if (guard.stopped() || progress.skipped.get() > 0) {
            LOG.info("Health sync of database {} stopped: {} of {} tables synced, none removed (the lead was lost)",
                    database, progress.synced.get(), progress.listed.size());
            return;
        }
        try {
            int removed = guard.fenced(store, stores -> removeVanished(stores.tables(), database, progress.listed));
            if (removed > 0) {
                tally.tablesRemoved(removed);
                progress.removed.addAndGet(removed);
            }
        } catch (LeadershipLostException e) {
            LOG.info("Health sync of database {}: dropped tables not removed: {}", database, e.getMessage());
            return;
        } catch (RuntimeException e) {
            String message = "removing dropped tables failed: " + SyncTally.describe(e);
            tally.databaseFailed(database, message);
            LOG.warn("Health sync of database {}: {}", database, message, e);
            return;
        }
        tally.databaseSynced();
        LOG.info("Health sync of database {}: {} tables listed, {} synced, {} failed, {} removed in {} ms", database,
                progress.listed.size(), progress.synced.get(), progress.failed.get(), progress.removed.get(),
                (System.nanoTime() - progress.startNanos) / 1_000_000);
    }

    private static int removeVanished(TableCache cache, String database, List<TableId> listed) {
        Set<TableId> present = new HashSet<>(listed);
        int removed = 0;
        for (TableId cached : cache.tableIds(database)) {
            if (!present.contains(cached) && cache.remove(cached)) {
                removed++;
                LOG.info("Health sync: {} is no longer in the catalog; removed from the cache", cached);
            }
        }
        return removed;
    }

    /**
     * The tables of one database still to finish. Counts one more than the tables until every table is submitted,
     * so the database cannot finish while its listing is still being handed out.
     */
    private final class Progress {
        final String database;
        final List<TableId> listed;
        final long startNanos = System.nanoTime();
        final AtomicInteger pending;
        final AtomicInteger synced = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger removed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();

        Progress(String database, List<TableId> listed) {
            this.database = database;
            this.listed = listed;
            this.pending = new AtomicInteger(listed.size() + 1);
        }

        void tableDone() {
            if (pending.decrementAndGet() == 0) {
                finish(this);
            }
        }

        /** Every table that will be submitted was; {@code notSubmitted} were left out because the pass stopped. */
        void allSubmitted(int notSubmitted) {
            skipped.addAndGet(notSubmitted);
            if (pending.addAndGet(-1 - notSubmitted) == 0) {
                finish(this);
            }
        }
    }
}
