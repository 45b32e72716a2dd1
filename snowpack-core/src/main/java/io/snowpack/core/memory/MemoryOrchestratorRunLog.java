package io.snowpack.core.memory;

import io.snowpack.core.model.OrchestratorRun;
import io.snowpack.core.spi.OrchestratorRunLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/** The in-memory {@code orchestrator_runs}, keyed by run id. */
final class MemoryOrchestratorRunLog implements OrchestratorRunLog {
    private final Guard guard;
    private final MemoryTime time;
    private final NavigableMap<Long, OrchestratorRun> runs = new TreeMap<>();
    private long lastId;

    MemoryOrchestratorRunLog(Guard guard, MemoryTime time) {
        this.guard = guard;
        this.time = time;
    }

    @Override
    public OrchestratorRun record(OrchestratorRun run) {
        return guard.locked(() -> {
            long id = ++lastId;
            OrchestratorRun stored = run.withRunId(id);
            runs.put(id, stored);
            // The id stays used after a rollback, as a database sequence's would.
            guard.onRollback(() -> runs.remove(id));
            return stored;
        });
    }

    @Override
    public List<OrchestratorRun> recent(int limit) {
        OrchestratorRunLog.checkLimit(limit);
        return guard.locked(() -> runs.values().stream()
                .sorted(Comparator.comparing(OrchestratorRun::startedAt).thenComparingLong(OrchestratorRun::runId).reversed())
                .limit(limit)
                .toList());
    }

    @Override
    public int prune(Duration retention) {
        return guard.locked(() -> {
            Instant cutoff = time.now().minus(retention);
            List<OrchestratorRun> old = new ArrayList<>();
            runs.values().removeIf(run -> run.startedAt().isBefore(cutoff) && old.add(run));
            guard.onRollback(() -> old.forEach(run -> runs.put(run.runId(), run)));
            return old.size();
        });
    }
}
