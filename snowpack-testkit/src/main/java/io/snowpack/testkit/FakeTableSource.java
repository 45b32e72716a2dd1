package io.snowpack.testkit;

import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.Clock;
import io.snowpack.core.spi.TableSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A catalog in memory for health-sync tests (core knows no Iceberg). Tables report {@code dataFiles} equal to the
 * source's current "generation", so a test can tell a fresh health from a kept one. Tables and databases can be
 * made to fail, and {@code health()} can be slowed down to create overlap; the highest number of concurrent
 * {@code health()} calls is recorded.
 */
public final class FakeTableSource implements TableSource {
    private final Clock clock;
    private final Map<String, List<TableId>> catalog = new TreeMap<>();
    private final Set<TableId> failingTables = ConcurrentHashMap.newKeySet();
    private final Set<String> failingDatabases = ConcurrentHashMap.newKeySet();
    private final Map<TableId, TableHealth> templates = new ConcurrentHashMap<>();
    private final List<String> listedDatabases = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile boolean catalogFails;
    private volatile long generation = 1;
    private volatile Duration healthDelay = Duration.ZERO;
    private volatile Consumer<TableId> onHealth = table -> { };
    private final AtomicInteger healthCalls = new AtomicInteger();

    public FakeTableSource(Clock clock) {
        this.clock = clock;
    }

    /** Adds {@code count} tables named {@code t0, t1, …} to {@code database}. */
    public synchronized FakeTableSource withTables(String database, int count) {
        List<TableId> tables = catalog.computeIfAbsent(database, db -> new ArrayList<>());
        for (int i = 0; i < count; i++) {
            tables.add(TableId.of(database, "t" + i));
        }
        return this;
    }

    /** Adds one table whose health is {@code health} (re-stamped with the time of each sync). */
    public synchronized FakeTableSource withTable(TableHealth health) {
        catalog.computeIfAbsent(health.table().database(), db -> new ArrayList<>()).add(health.table());
        templates.put(health.table(), health);
        return this;
    }

    public synchronized void drop(TableId table) { catalog.get(table.database()).remove(table); }

    public synchronized void dropDatabase(String database) { catalog.remove(database); }

    public void failTable(TableId table) { failingTables.add(table); }

    public void failListing(String database) { failingDatabases.add(database); }

    public void failCatalog() { catalogFails = true; }

    public void nextGeneration() { generation++; }

    public void slowHealth(Duration delay) { healthDelay = delay; }

    public int maxInFlight() { return maxInFlight.get(); }

    /** How many times {@code health()} was called. */
    public int healthCalls() { return healthCalls.get(); }

    /**
     * Runs {@code hook} at the start of every {@code health()} call, on the calling thread, before the health is made
     * (to flip leadership mid-pass, or to hold one table back until another is synced).
     */
    public void onHealth(Consumer<TableId> hook) { onHealth = hook; }

    /** Databases whose tables were listed, in call order. */
    public List<String> listedDatabases() { return List.copyOf(listedDatabases); }

    @Override
    public synchronized List<String> databases() {
        if (catalogFails) {
            throw new IllegalStateException("catalog unreachable");
        }
        return List.copyOf(catalog.keySet());
    }

    @Override
    public synchronized List<TableId> tables(String database) {
        listedDatabases.add(database);
        if (failingDatabases.contains(database)) {
            throw new IllegalStateException("cannot list " + database);
        }
        return List.copyOf(catalog.getOrDefault(database, List.of()));
    }

    private synchronized boolean listed(TableId table) {
        return catalog.getOrDefault(table.database(), List.of()).contains(table);
    }

    @Override
    public TableHealth health(TableId table) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        healthCalls.incrementAndGet();
        try {
            onHealth.accept(table);
            if (!healthDelay.isZero()) {
                Thread.sleep(healthDelay.toMillis()); // only to make calls overlap
            }
            if (!listed(table)) {
                throw new TableNotFoundException(table.key());
            }
            if (failingTables.contains(table)) {
                throw new IllegalStateException("corrupt metadata of " + table);
            }
            TableHealth template = templates.get(table);
            return template != null ? template.toBuilder().syncedAt(clock.now()).build()
                    : TableHealth.builder(table).dataFiles(generation).syncedAt(clock.now()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
