package io.snowpack.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidParameterException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelRecordsTest {
    private static final Instant NOW = Instant.parse("2026-04-25T14:30:00Z");
    private static final TableId OFFERS = TableId.parse("offer_service.offers");

    @Test
    void actionResultsCopyAndSortTheirMetricsAndCheckSuccessAgainstError() {
        Map<String, Long> metrics = new HashMap<>(Map.of("files_written", 52L, "files_read", 847L));
        ActionResult result = ActionResult.succeeded(MaintenanceAction.REWRITE_DATA_FILES,
                "Compacted 847 files into 52 files", 124.8, metrics);
        metrics.put("later", 1L);

        assertThat(result.metrics()).containsExactly(Map.entry("files_read", 847L), Map.entry("files_written", 52L));
        assertThatThrownBy(() -> result.metrics().put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(ActionResult.failed(MaintenanceAction.EXPIRE_SNAPSHOTS, "gc.enabled=false", 0, null).error())
                .isEqualTo("gc.enabled=false");
        assertThatThrownBy(() -> new ActionResult(MaintenanceAction.EXPIRE_SNAPSHOTS, true, "ok", "err", 1, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ActionResult(MaintenanceAction.EXPIRE_SNAPSHOTS, false, "x", null, 1, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ActionResult.succeeded(MaintenanceAction.EXPIRE_SNAPSHOTS, "ok", -1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> ActionResult.succeeded(MaintenanceAction.EXPIRE_SNAPSHOTS, "ok", Double.NaN, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tableHealthDerivesNeedsMaintenanceAndTheOptInFlag() {
        TableHealth healthy = TableHealth.builder(OFFERS).syncedAt(NOW).dataFiles(3).build();
        TableHealth unhealthy = healthy.toBuilder()
                .property(TableHealth.MAINTENANCE_ENABLED_PROPERTY, " TRUE ")
                .reason("800 small files")
                .oldestSnapshotAt(NOW.minus(Duration.ofDays(9)))
                .build();

        assertThat(healthy.needsMaintenance()).isFalse();
        assertThat(healthy.maintenanceEnabled()).isFalse();
        assertThat(healthy.oldestSnapshotAge()).isEmpty();
        assertThat(unhealthy.needsMaintenance()).isTrue();
        assertThat(unhealthy.maintenanceEnabled()).isTrue();
        assertThat(unhealthy.oldestSnapshotAge()).contains(Duration.ofDays(9));
        assertThat(unhealthy.dataFiles()).isEqualTo(3);
    }

    @Test
    void tableHealthRejectsImpossibleCounts() {
        assertThatThrownBy(() -> TableHealth.builder(OFFERS).syncedAt(NOW).dataFiles(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dataFiles");
        assertThatThrownBy(() -> TableHealth.builder(OFFERS).syncedAt(NOW).dataFiles(2).smallFiles(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smallFiles (3)");
        assertThatThrownBy(() -> TableHealth.builder(OFFERS).build()).isInstanceOf(NullPointerException.class);
    }

    @Test
    void jobQueriesBoundTheirLimit() {
        assertThat(JobQuery.all().limit()).isEqualTo(100);
        assertThat(JobQuery.all().withLimit(500).limit()).isEqualTo(500);
        assertThatThrownBy(() -> JobQuery.all().withLimit(501))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("501").hasMessageContaining("500");
        assertThatThrownBy(() -> JobQuery.all().withLimit(0)).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> TableQuery.all().withPage(-1, 10)).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void aTableQueryStartsAfterAKeyOrSkipsRowsButNotBoth() {
        TableQuery page = TableQuery.all().withDatabase("offer_service").withLimit(50).after(OFFERS);
        assertThat(page.after()).contains(OFFERS);
        assertThat(page.database()).contains("offer_service");
        assertThat(page.limit()).isEqualTo(50);
        assertThat(TableQuery.all().withPage(3, 10).after(OFFERS).offset()).isZero();
        assertThatThrownBy(() -> page.withPage(2, 50)).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("offset 2").hasMessageContaining(OFFERS.key());
    }

    @Test
    void jobsKeepTheirActionsCanonicalAndExposeWireFields() {
        Job job = new Job(JobId.random(), OFFERS,
                List.of(MaintenanceAction.REMOVE_ORPHAN_FILES, MaintenanceAction.EXPIRE_SNAPSHOTS), false,
                JobStatus.PENDING, NOW, null, null, null, null, 0, JobTrigger.MANUAL);

        assertThat(job.actions()).containsExactly(MaintenanceAction.EXPIRE_SNAPSHOTS,
                MaintenanceAction.REMOVE_ORPHAN_FILES);
        assertThat(job.database()).isEqualTo("offer_service");
        assertThat(job.tableName()).isEqualTo("offers");
        assertThat(job.results()).isEmpty();
        assertThat(job.isTerminal()).isFalse();
    }
}
