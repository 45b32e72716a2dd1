package io.snowpack.jdbc;

import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.model.TableQuery;
import io.snowpack.core.spi.CacheStatus;
import io.snowpack.core.spi.TableCache;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A table cache that passes every call on to another: the base of decorators that change only a few calls. */
abstract class ForwardingTableCache implements TableCache {
    private final TableCache delegate;

    ForwardingTableCache(TableCache delegate) {
        this.delegate = delegate;
    }

    /** The table cache calls are passed on to. */
    final TableCache delegate() {
        return delegate;
    }

    @Override
    public void upsert(TableHealth health) {
        delegate.upsert(health);
    }

    @Override
    public boolean remove(TableId table) {
        return delegate.remove(table);
    }

    @Override
    public Optional<TableHealth> get(TableId table) {
        return delegate.get(table);
    }

    @Override
    public Map<TableId, TableHealth> getAll(Collection<TableId> tables) {
        return delegate.getAll(tables);
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
    public Instant markSynced() {
        return delegate.markSynced();
    }

    @Override
    public CacheStatus status() {
        return delegate.status();
    }

    @Override
    public int pruneHistory(Duration retention) {
        return delegate.pruneHistory(retention);
    }
}
