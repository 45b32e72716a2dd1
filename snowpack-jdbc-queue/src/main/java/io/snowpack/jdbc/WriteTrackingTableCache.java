package io.snowpack.jdbc;

import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.model.TableQuery;
import io.snowpack.core.spi.CacheStatus;
import io.snowpack.core.spi.TableCache;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A table cache that reports each write (before making it) and passes every call on unchanged. */
final class WriteTrackingTableCache implements TableCache {
    private final TableCache delegate;
    private final Runnable onWrite;

    WriteTrackingTableCache(TableCache delegate, Runnable onWrite) {
        this.delegate = delegate;
        this.onWrite = onWrite;
    }

    @Override
    public void upsert(TableHealth health) {
        onWrite.run();
        delegate.upsert(health);
    }

    @Override
    public boolean remove(TableId table) {
        onWrite.run();
        return delegate.remove(table);
    }

    @Override
    public Instant markSynced() {
        onWrite.run();
        return delegate.markSynced();
    }

    @Override
    public int pruneHistory(Duration retention) {
        onWrite.run();
        return delegate.pruneHistory(retention);
    }

    @Override
    public Optional<TableHealth> get(TableId table) {
        return delegate.get(table);
    }

    @Override
    public List<TableHealth> list(TableQuery query) {
        return delegate.list(query);
    }

    @Override
    public Optional<TableId> lastKey(TableQuery query) {
        return delegate.lastKey(query);
    }

    @Override
    public List<TableId> tableIds(String database) {
        return delegate.tableIds(database);
    }

    @Override
    public List<TableHealth> history(TableId table, int limit) {
        return delegate.history(table, limit);
    }

    @Override
    public CacheStatus status() {
        return delegate.status();
    }
}
