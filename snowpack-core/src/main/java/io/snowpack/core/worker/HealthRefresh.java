package io.snowpack.core.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a table's health from its catalog again after a worker's job changed it, and writes it to the table cache, so
 * what operators see ({@code GET /tables}, the plan, the orchestrator's next run) reflects the job at once instead
 * of at the next health-sync pass. Refreshes run one at a time on a thread of their own, never on a job's slot; a
 * table already waiting for its refresh is not queued twice. A refresh that fails keeps the cached health (the next
 * health-sync pass corrects it), and a table gone from the catalog leaves the cache.
 */
final class HealthRefresh implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthRefresh.class);

    private final SnowpackStore store;
    private final TableSource source;
    private final ExecutorService thread;
    private final Set<TableId> waiting = ConcurrentHashMap.newKeySet();
    private final Counter refreshed;
    private final Counter failed;

    HealthRefresh(SnowpackStore store, TableSource source, ThreadFactory threads, MeterRegistry registry) {
        this.store = store;
        this.source = source;
        this.thread = Executors.newSingleThreadExecutor(threads);
        refreshed = outcome(registry, "refreshed");
        failed = outcome(registry, "failed");
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("snowpack.worker.health_refreshes")
                .description("Table health re-read from the catalog after a job, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    /** Refreshes {@code table} soon, on the refresh thread. */
    void after(TableId table) {
        if (!waiting.add(table)) {
            return;
        }
        try {
            thread.execute(() -> {
                waiting.remove(table);
                now(table);
            });
        } catch (RejectedExecutionException closing) {
            waiting.remove(table);
        }
    }

    /** Refreshes {@code table} on the calling thread. */
    void now(TableId table) {
        try {
            store.tables().upsert(source.health(table));
            refreshed.increment();
            LOG.debug("Refreshed the cached health of {}", table);
        } catch (TableNotFoundException e) {
            store.tables().remove(table);
            refreshed.increment();
            LOG.info("{} is gone from its catalog; removed from the table cache", table);
        } catch (RuntimeException e) {
            failed.increment();
            LOG.warn("Could not refresh the cached health of {} after its job (the next health sync will): {}",
                    table, e.toString());
        }
    }

    /** Finishes the refreshes already queued, waiting up to a few seconds, then drops the rest. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
