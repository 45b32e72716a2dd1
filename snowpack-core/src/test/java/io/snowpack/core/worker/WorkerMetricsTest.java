package io.snowpack.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rewrite counters' cardinality switch, histograms on the timers and a description on every worker meter. */
class WorkerMetricsTest {
    private final Job job = new Job(JobId.random(), TableId.of("sales", "orders"),
            List.of(MaintenanceAction.REWRITE_DATA_FILES), false, JobStatus.RUNNING, Instant.EPOCH, Instant.EPOCH,
            null, List.of(), null, 1, JobTrigger.MANUAL);
    private final ActionResult compacted = ActionResult.succeeded(MaintenanceAction.REWRITE_DATA_FILES,
            "Compacted 240 files into 1 file", 1.5, Map.of("files_in", 240L, "files_out", 1L, "bytes_in", 9000L));

    @Test
    void rewriteCountersCarryNoTableTagByDefault() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WorkerMetrics metrics = new WorkerMetrics(registry, InMemoryStore.create(), "w1", false);
        metrics.rewrote(job, compacted);
        metrics.rewrote(job, compacted);

        assertThat(registry.get("snowpack.rewrite.files").tag("action", "rewrite_data_files").counter().count())
                .isEqualTo(480);
        assertThat(registry.get("snowpack.rewrite.bytes").counter().count()).isEqualTo(18_000);
        assertThat(registry.find("snowpack.rewrite.files").tagKeys("table").counters()).isEmpty();
    }

    @Test
    void metricsTableTagsAddsTheTable() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WorkerMetrics metrics = new WorkerMetrics(registry, InMemoryStore.create(), "w1", true);
        metrics.rewrote(job, compacted);

        assertThat(registry.get("snowpack.rewrite.files").tag("table", "sales.orders").counter().count())
                .isEqualTo(240);
        assertThat(registry.get("snowpack.rewrite.bytes").tag("table", "sales.orders").counter().count())
                .isEqualTo(9000);
    }

    @Test
    void everyMeterIsDescribedAndTimersKeepHistograms() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WorkerMetrics metrics = new WorkerMetrics(registry, InMemoryStore.create(), "w1", false);
        metrics.claimed(1, 2_000_000);
        metrics.claimed(0, 1_000_000);
        metrics.claimFailed(3_000_000);
        metrics.jobEnded(job, JobOutcome.COMPLETED, 5_000_000_000L);
        metrics.actionEnded(MaintenanceAction.REWRITE_DATA_FILES, "success", 4_000_000_000L);
        metrics.rewrote(job, compacted);

        // Gauges the simple registry derives from histograms (tag le) carry no description of their own.
        assertThat(registry.getMeters().stream().filter(meter -> meter.getId().getTag("le") == null).toList())
                .hasSizeGreaterThanOrEqualTo(10)
                .allSatisfy(meter -> assertThat(meter.getId().getDescription()).as(meter.getId().toString())
                        .isNotBlank());
        for (String timer : List.of("snowpack.job.duration", "snowpack.action.duration",
                "snowpack.worker.claim.duration")) {
            Meter.Id id = registry.get(timer).timer().getId();
            assertThat(registry.get(timer).timer().takeSnapshot().histogramCounts()).as(id.toString()).isNotEmpty();
        }
        assertThat(registry.get("snowpack.worker.claim.duration").tag("result", "empty").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("snowpack.worker.claims").counter().count()).isEqualTo(1);
    }
}
