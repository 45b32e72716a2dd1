package io.snowpack.core.memory;

import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.model.TableQuery;
import io.snowpack.core.spi.CacheStatus;
import io.snowpack.core.spi.HealthHistoryRule;
import io.snowpack.core.spi.TableCache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The in-memory table inventory (ordered by database, then table) and health history. The history grows only as
 * {@link HealthHistoryRule} allows (a changed measurement, or one entry per interval) and shrinks by
 * {@link #pruneHistory}, as the JDBC backend's does.
 */
final class MemoryTableCache implements TableCache {
    static final Comparator<TableId> BY_NAME = TableId.KEY_ORDER;

    private final Guard guard;
    private final MemoryTime time;
    private final HealthHistoryRule historyRule;
    private final TreeMap<TableId, TableHealth> tables = new TreeMap<>(BY_NAME);
    /** Per table, oldest first (appended as measured). */
    private final Map<TableId, List<TableHealth>> history = new HashMap<>();
    private Instant lastSynced;

    MemoryTableCache(Guard guard, MemoryTime time, HealthHistoryRule historyRule) {
        this.guard = guard;
        this.time = time;
        this.historyRule = historyRule;
    }

    @Override
    public void upsert(TableHealth health) {
        java.util.Objects.requireNonNull(health, "health");
        guard.locked(() -> {
            TableHealth previous = tables.put(health.table(), health);
            List<TableHealth> entries = history.computeIfAbsent(health.table(), t -> new ArrayList<>());
            Optional<TableHealth> newest = entries.stream().max(Comparator.comparing(TableHealth::syncedAt));
            boolean appended = historyRule.appends(newest, health);
            if (appended) {
                entries.add(health);
            }
            guard.onRollback(() -> {
                if (appended) {
                    entries.remove(entries.size() - 1);
                }
                restore(health.table(), previous);
            });
        });
    }

    @Override
    public boolean remove(TableId table) {
        return guard.locked(() -> {
            TableHealth previous = tables.remove(table);
            guard.onRollback(() -> restore(table, previous));
            return previous != null;
        });
    }

    @Override
    public Optional<TableHealth> get(TableId table) {
        return guard.locked(() -> Optional.ofNullable(tables.get(table)));
    }

    @Override
    public List<TableHealth> list(TableQuery query) {
        return guard.locked(() -> page(query).toList());
    }

    @Override
    public Optional<TableId> lastKey(TableQuery query) {
        return guard.locked(() -> page(query).skip(query.limit() - 1L).findFirst().map(TableHealth::table));
    }

    private Stream<TableHealth> page(TableQuery query) {
        Map<TableId, TableHealth> from = query.after().<Map<TableId, TableHealth>>map(key -> tables.tailMap(key, false))
                .orElse(tables);
        return from.values().stream()
                .filter(query::matches)
                .skip(query.offset())
                .limit(query.limit());
    }

    @Override
    public List<TableId> tableIds(String database) {
        return guard.locked(() -> tables.keySet().stream().filter(t -> t.database().equals(database)).toList());
    }

    @Override
    public List<TableHealth> history(TableId table, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        return guard.locked(() -> {
            List<TableHealth> entries = new ArrayList<>(history.getOrDefault(table, List.of()));
            entries.sort(Comparator.comparing(TableHealth::syncedAt).reversed());
            return List.copyOf(entries.subList(0, Math.min(limit, entries.size())));
        });
    }

    @Override
    public Instant markSynced() {
        return guard.locked(() -> {
            Instant previous = lastSynced;
            lastSynced = time.now();
            guard.onRollback(() -> lastSynced = previous);
            return lastSynced;
        });
    }

    @Override
    public CacheStatus status() {
        return guard.locked(() -> new CacheStatus(Optional.ofNullable(lastSynced), tables.size()));
    }

    @Override
    public int pruneHistory(Duration retention) {
        return guard.locked(() -> {
            Instant cutoff = time.now().minus(retention);
            int pruned = 0;
            for (Map.Entry<TableId, List<TableHealth>> entry : history.entrySet()) {
                List<TableHealth> before = List.copyOf(entry.getValue());
                boolean changed = entry.getValue().removeIf(h -> h.syncedAt().isBefore(cutoff));
                if (changed) {
                    pruned += before.size() - entry.getValue().size();
                    List<TableHealth> live = entry.getValue();
                    guard.onRollback(() -> {
                        live.clear();
                        live.addAll(before);
                    });
                }
            }
            return pruned;
        });
    }

    private void restore(TableId table, TableHealth previous) {
        if (previous == null) {
            tables.remove(table);
        } else {
            tables.put(table, previous);
        }
    }
}
