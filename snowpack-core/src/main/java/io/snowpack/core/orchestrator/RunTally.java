package io.snowpack.core.orchestrator;

import io.snowpack.core.model.OrchestratorRun;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Counts one orchestrator run as it goes; each assessed table lands in exactly one outcome. Not thread-safe. */
final class RunTally {
    private final Map<String, Integer> skippedByReason = new TreeMap<>();
    private int skipped;
    private int healthy;
    private int submitted;
    private int failed;

    void add(Outcome outcome) {
        switch (outcome.kind()) {
            case SUBMITTED -> submitted++;
            case HEALTHY -> healthy++;
            case FAILED -> failed++;
            case SKIPPED -> {
                skippedByReason.merge(outcome.reason(), 1, Integer::sum);
                skipped++;
            }
        }
    }

    OrchestratorRun toRun(String leader, Instant startedAt, Instant finishedAt, String error) {
        return new OrchestratorRun(0, leader, startedAt, finishedAt, skipped + healthy + submitted + failed, skipped,
                healthy, submitted, failed, skippedByReason, error);
    }
}
