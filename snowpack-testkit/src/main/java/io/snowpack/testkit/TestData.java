package io.snowpack.testkit;

import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.JobDraft;
import java.time.Instant;
import java.util.List;

/** Ready-made values for tests. */
public final class TestData {
    private TestData() {
    }

    public static JobDraft draft(TableId table, MaintenanceAction... actions) {
        return new JobDraft(JobId.random(), table, List.of(actions), false, JobTrigger.MANUAL);
    }

    public static JobDraft draft(String tableKey) {
        return draft(TableId.parse(tableKey), MaintenanceAction.REWRITE_DATA_FILES, MaintenanceAction.EXPIRE_SNAPSHOTS);
    }

    /** A fully populated health record, every field set, times at microsecond precision. */
    public static TableHealth health(TableId table, Instant syncedAt, boolean maintenanceEnabled) {
        return TableHealth.builder(table)
                .dataFiles(847)
                .smallFiles(800)
                .averageFileSizeBytes(3_145_728)
                .positionDeleteFiles(12)
                .equalityDeleteFiles(3)
                .totalRecords(1_234_567)
                .totalBytes(2_664_000_000L)
                .snapshots(138)
                .oldestSnapshotAt(syncedAt.minusSeconds(86_400 * 9).plusNanos(123_000))
                .dataManifests(40)
                .deleteManifests(4)
                .metadataFileSizeBytes(2_500_000)
                .previousMetadataFiles(40)
                .deletionVectors(7)
                .formatVersion(2)
                .property(TableHealth.MAINTENANCE_ENABLED_PROPERTY, Boolean.toString(maintenanceEnabled))
                .property("snowpack.min_input_files", "abc")
                .propertyProblem("snowpack.min_input_files='abc' is not a whole number >= 1; using 5 instead")
                .reason("800 small files (threshold 5)")
                .reason("12 position delete files (threshold 5)")
                .syncedAt(syncedAt)
                .build();
    }
}
