package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidParameterException;
import io.snowpack.core.model.OrchestratorRun;
import io.snowpack.core.spi.OrchestratorRunLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link OrchestratorRunLog} promises. */
public abstract class OrchestratorRunLogContract extends StoreContractSupport {

    private OrchestratorRun run(Instant startedAt, int submitted) {
        return new OrchestratorRun(0, "api-1", startedAt, startedAt.plusMillis(1500), 7 + submitted, 5, 1, submitted,
                1, Map.of("not_opted_in", 3, OrchestratorRun.IN_PROGRESS, 2), null);
    }

    @Test
    void storesEveryFieldAndAssignsIncreasingIds() {
        Instant now = store.now();
        OrchestratorRun first = store.orchestratorRuns().record(run(now, 4));
        OrchestratorRun second = store.orchestratorRuns().record(new OrchestratorRun(0, "api-2", now.plusSeconds(1),
                now.plusSeconds(2), 0, 0, 0, 0, 0, Map.of(), "stopped: drain mode is on"));

        assertThat(first.runId()).isPositive();
        assertThat(second.runId()).isGreaterThan(first.runId());
        assertThat(store.orchestratorRuns().recent(10)).containsExactly(second, first);
        OrchestratorRun read = store.orchestratorRuns().recent(10).get(1);
        assertThat(read.skippedByReason()).containsExactly(
                Map.entry(OrchestratorRun.IN_PROGRESS, 2), Map.entry("not_opted_in", 3));
        assertThat(read.duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(read.tablesFailed()).isEqualTo(1);
        assertThat(store.orchestratorRuns().recent(10).get(0).error()).isEqualTo("stopped: drain mode is on");
    }

    @Test
    void recentIsNewestFirstAndLimited() {
        Instant now = store.now();
        for (int i = 0; i < 5; i++) {
            store.orchestratorRuns().record(run(now.plusSeconds(i), i));
        }

        List<OrchestratorRun> recent = store.orchestratorRuns().recent(3);

        assertThat(recent).extracting(OrchestratorRun::jobsSubmitted).containsExactly(4, 3, 2);
        assertThatThrownBy(() -> store.orchestratorRuns().recent(0))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Invalid limit 0");
        assertThatThrownBy(() -> store.orchestratorRuns().recent(OrchestratorRunLog.MAX_LIMIT + 1))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("501");
    }

    @Test
    void pruneDeletesOnlyRunsOlderThanTheRetention() {
        store.orchestratorRuns().record(run(store.now(), 1));
        advance(Duration.ofDays(10));
        OrchestratorRun recent = store.orchestratorRuns().record(run(store.now(), 2));

        assertThat(store.orchestratorRuns().prune(Duration.ofDays(5))).isEqualTo(1);
        assertThat(store.orchestratorRuns().recent(10)).containsExactly(recent);
        assertThat(store.orchestratorRuns().prune(Duration.ofDays(5))).isZero();
    }

    @Test
    void aRolledBackRecordLeavesNothing() {
        try {
            store.inTransaction(stores -> {
                stores.orchestratorRuns().record(run(store.now(), 1));
                throw new IllegalStateException("boom");
            });
        } catch (IllegalStateException expected) {
            // the unit of work failed
        }

        assertThat(store.orchestratorRuns().recent(10)).isEmpty();
    }
}
