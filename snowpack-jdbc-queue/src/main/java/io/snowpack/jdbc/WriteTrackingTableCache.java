package io.snowpack.jdbc;

import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.TableCache;
import java.time.Duration;
import java.time.Instant;

/** A table cache that reports each write (before making it) and passes every call on unchanged. */
final class WriteTrackingTableCache extends ForwardingTableCache {
    private final Runnable onWrite;

    WriteTrackingTableCache(TableCache delegate, Runnable onWrite) {
        super(delegate);
        this.onWrite = onWrite;
    }

    @Override
    public void upsert(TableHealth health) {
        onWrite.run();
        super.upsert(health);
    }

    @Override
    public boolean remove(TableId table) {
        onWrite.run();
        return super.remove(table);
    }

    @Override
    public Instant markSynced() {
        onWrite.run();
        return super.markSynced();
    }

    @Override
    public int pruneHistory(Duration retention) {
        onWrite.run();
        return super.pruneHistory(retention);
    }
}
