package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.FenceRevokedException;
import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health and {@code rewrite_data_files} on a real partitioned table: 220 small Parquet files over four partitions,
 * position and equality deletes, many snapshots.
 */
class HealthAndCompactionTest {
    private static final TableId EVENTS = TableId.of("db", "events");

    @TempDir
    Path root;

    private Warehouse warehouse;
    private Table table;
    private IcebergTableSource source;
    private IcebergMaintenanceExecutor executor;

    @BeforeEach
    void createTable() {
        warehouse = new Warehouse(root);
        table = warehouse.create("events", Warehouse.BY_KIND, Map.of("snowpack.maintenance_enabled", "true",
                "snowpack.min_input_files", "abc", "snowpack.colour", "blue"));
        for (int i = 0; i < 11; i++) {
            warehouse.append(table, 20, 10, "view", "click", "buy", "refund");
        }
        List<DataFile> files = Warehouse.liveDataFiles(warehouse.load("events"));
        for (int i = 0; i < 6; i++) {
            warehouse.deletePositions(warehouse.load("events"), files.get(i), 0, 1);
        }
        warehouse.deleteIds(warehouse.load("events"), "view", 20, 21, 22);
        warehouse.deleteIds(warehouse.load("events"), "click", 41);
        table = warehouse.load("events");
        source = IcebergTableSource.create(warehouse.catalog, SnowpackConfig.defaults());
        executor = IcebergMaintenanceExecutor.create(warehouse.catalog, SnowpackConfig.defaults());
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private static ActionRequest request(MaintenanceAction action) {
        return new ActionRequest(JobId.random(), EVENTS, action, 1, 7);
    }

    @Test
    void healthCountsWhatWasWrittenAndNamesEveryThresholdCrossed() {
        TableHealth health = source.health(EVENTS);

        assertThat(health.dataFiles()).isEqualTo(220);
        assertThat(health.smallFiles()).isEqualTo(220);
        assertThat(health.totalRecords()).isEqualTo(2200);
        assertThat(health.positionDeleteFiles()).isEqualTo(6);
        assertThat(health.equalityDeleteFiles()).isEqualTo(2);
        assertThat(health.snapshots()).isEqualTo(11 + 6 + 2);
        assertThat(health.oldestSnapshotAt()).isNotNull();
        assertThat(health.dataManifests()).isPositive();
        assertThat(health.deleteManifests()).isPositive();
        assertThat(health.metadataFileSizeBytes()).isPositive();
        assertThat(health.formatVersion()).isEqualTo(2);
        assertThat(health.averageFileSizeBytes()).isPositive();
        assertThat(health.maintenanceEnabled()).isTrue();
        assertThat(health.properties()).containsEntry("snowpack.colour", "blue");
        assertThat(health.propertyProblems()).containsExactlyInAnyOrder(
                "snowpack.min_input_files='abc' is not a whole number >= 1; using 5 instead",
                "snowpack.colour: unknown snowpack property");
        assertThat(health.reasons()).anyMatch(r -> r.startsWith("rewrite_data_files: 220 small files"))
                .anyMatch(r -> r.startsWith("rewrite_position_delete_files: 6 position delete files"));
        assertThat(source.databases()).containsExactly("db");
        assertThat(source.tables("db")).containsExactly(EVENTS);
        assertThat(source.tables("nowhere")).isEmpty();
        assertThatThrownBy(() -> source.health(TableId.of("db", "missing")))
                .isInstanceOf(TableNotFoundException.class).hasMessageContaining("db.missing");
    }

    @Test
    void compactionKeepsEveryRowAndItsPreviewMatchesTheRun() throws IOException {
        List<String> before = Warehouse.rows(table);
        String metadataBefore = metadataLocation();
        long filesBefore = DataSafetyRegressionTest.parquetFilesUnder(root);

        ActionResult preview = executor.preview(EVENTS, MaintenanceAction.REWRITE_DATA_FILES);
        assertThat(metadataLocation()).as("a preview commits nothing").isEqualTo(metadataBefore);
        assertThat(DataSafetyRegressionTest.parquetFilesUnder(root)).as("a preview writes nothing")
                .isEqualTo(filesBefore);

        ActionRequest request = request(MaintenanceAction.REWRITE_DATA_FILES);
        ActionResult result = executor.execute(request, Checkpoint.none());

        Table after = warehouse.load("events");
        assertThat(Warehouse.rows(after)).isEqualTo(before);
        assertThat(Warehouse.liveDataFiles(after)).hasSize(4);
        assertThat(result.message()).startsWith("Compacted 220 files into 4 files");
        TableHealth health = source.health(EVENTS);
        assertThat(health.positionDeleteFiles()).as("no delete file outlives the rows it deleted").isZero();
        assertThat(health.equalityDeleteFiles()).isZero();
        assertThat(result.metrics()).containsEntry("files_in", 220L).containsEntry("files_out", 4L);
        assertThat(preview.metrics()).containsEntry("files_to_rewrite", 220L)
                .containsEntry("expected_output_files", result.metrics().get("files_out"));
        assertThat(after.currentSnapshot().summary()).containsEntry("snowpack.job-id", request.jobId().value())
                .containsEntry("snowpack.attempt", "1").containsEntry("snowpack.fence", "7");
        assertThat(source.health(EVENTS).reasons()).noneMatch(r -> r.startsWith("rewrite_data_files: 4 small"));
    }

    @Test
    void aConcurrentPositionDeleteFailsTheCommitTransientlyCleansUpAndARetrySucceeds() throws IOException {
        oneCommit();
        List<String> before = Warehouse.rows(table);
        DataFile victim = Warehouse.liveDataFiles(table).get(10);
        AtomicInteger checks = new AtomicInteger();
        int groups = 4;
        Checkpoint concurrentWriter = () -> {
            if (checks.incrementAndGet() == groups + 1) { // the check right before the commit
                warehouse.deletePositions(warehouse.load("events"), victim, 5);
            }
        };
        long parquetBefore = DataSafetyRegressionTest.parquetFilesUnder(root);

        assertThatThrownBy(() -> executor.execute(request(MaintenanceAction.REWRITE_DATA_FILES), concurrentWriter))
                .isInstanceOfSatisfying(ActionFailedException.class, e -> assertThat(e.isTransient()).isTrue());

        assertThat(DataSafetyRegressionTest.parquetFilesUnder(root))
                .as("the failed attempt's output is deleted; only the new delete file stays")
                .isEqualTo(parquetBefore + 1);
        List<String> withNewDelete = Warehouse.rows(warehouse.load("events"));
        assertThat(withNewDelete).hasSize(before.size() - 1);

        executor.execute(request(MaintenanceAction.REWRITE_DATA_FILES), Checkpoint.none());
        assertThat(Warehouse.rows(warehouse.load("events"))).isEqualTo(withNewDelete);
        assertThat(Warehouse.liveDataFiles(warehouse.load("events"))).hasSize(4);
    }

    @Test
    void aRevokedFenceCommitsNothing() throws IOException {
        oneCommit();
        String metadataBefore = metadataLocation();
        long parquetBefore = DataSafetyRegressionTest.parquetFilesUnder(root);
        AtomicInteger checks = new AtomicInteger();
        Checkpoint revokedLate = () -> {
            if (checks.incrementAndGet() == 3) {
                throw new FenceRevokedException("job", "the claim was revoked (job cancelled or reclaimed)");
            }
        };

        assertThatThrownBy(() -> executor.execute(request(MaintenanceAction.REWRITE_DATA_FILES), revokedLate))
                .isInstanceOf(FenceRevokedException.class);

        assertThat(metadataLocation()).isEqualTo(metadataBefore);
        assertThat(DataSafetyRegressionTest.parquetFilesUnder(root))
                .as("groups written before the revocation are deleted").isEqualTo(parquetBefore);
    }

    @Test
    void positionDeleteFilesAreMergedAndTheRowsStayTheSame() {
        Table unpartitioned = warehouse.create("plain", PartitionSpec.unpartitioned(), Map.of());
        warehouse.append(unpartitioned, 3, 10);
        List<DataFile> files = Warehouse.liveDataFiles(warehouse.load("plain"));
        for (int i = 0; i < 6; i++) {
            warehouse.deletePositions(warehouse.load("plain"), files.get(i % 3), i);
        }
        List<String> before = Warehouse.rows(warehouse.load("plain"));
        TableId plain = TableId.of("db", "plain");

        ActionResult preview = executor.preview(plain, MaintenanceAction.REWRITE_POSITION_DELETE_FILES);
        ActionResult result = executor.execute(new ActionRequest(JobId.random(), plain,
                MaintenanceAction.REWRITE_POSITION_DELETE_FILES, 1, 1), Checkpoint.none());

        assertThat(Warehouse.rows(warehouse.load("plain"))).isEqualTo(before);
        assertThat(preview.metrics()).containsEntry("delete_files_to_rewrite", 6L);
        assertThat(result.metrics()).containsEntry("delete_files_in", 6L).containsEntry("delete_files_out", 1L);
        assertThat(source.health(plain).positionDeleteFiles()).isEqualTo(1);
    }

    @Test
    void aCompactionThatWouldDoNothingSaysWhy() {
        warehouse.create("few", PartitionSpec.unpartitioned(), Map.of());
        warehouse.append(warehouse.load("few"), 3, 10);
        TableId few = TableId.of("db", "few");

        ActionResult preview = executor.preview(few, MaintenanceAction.REWRITE_DATA_FILES);
        ActionResult run = executor.execute(new ActionRequest(JobId.random(), few,
                MaintenanceAction.REWRITE_DATA_FILES, 1, 1), Checkpoint.none());

        assertThat(preview.message()).isEqualTo("Would compact nothing: 3 data files < min_input_files 5");
        assertThat(preview.metrics()).containsEntry("files_to_rewrite", 0L).containsEntry("groups", 0L);
        assertThat(run.message()).startsWith("Compacted 0 files (").contains("): 3 data files < min_input_files 5");
        assertThat(source.health(few).dataFiles()).isEqualTo(3);
    }

    @Test
    void smallManifestsAreMerged() {
        Table many = warehouse.create("manifests", PartitionSpec.unpartitioned(),
                Map.of("commit.manifest-merge.enabled", "false"));
        for (int i = 0; i < 8; i++) {
            warehouse.append(warehouse.load("manifests"), 1, 5);
        }
        List<String> before = Warehouse.rows(warehouse.load("manifests"));
        TableId id = TableId.of("db", "manifests");
        assertThat(source.health(id).dataManifests()).isEqualTo(8);

        ActionResult preview = executor.preview(id, MaintenanceAction.REWRITE_MANIFESTS);
        executor.execute(new ActionRequest(JobId.random(), id, MaintenanceAction.REWRITE_MANIFESTS, 1, 1),
                Checkpoint.none());

        assertThat(preview.metrics()).containsEntry("manifests_to_merge", 8L);
        assertThat(source.health(id).dataManifests()).isEqualTo(1);
        assertThat(Warehouse.rows(warehouse.load("manifests"))).isEqualTo(before);
    }

    /** All groups in one commit, so a failure at the last checkpoint leaves nothing committed. */
    private void oneCommit() {
        table.updateProperties().set("snowpack.partial_progress_max_commits", "1").commit();
        table = warehouse.load("events");
    }

    @Test
    void partialProgressCommitsGroupsAsTheyAreDoneSoARevocationKeepsThem() {
        List<String> before = Warehouse.rows(table);
        AtomicInteger checks = new AtomicInteger();
        Checkpoint revokedAfterTwoGroups = () -> {
            if (checks.incrementAndGet() == 5) {
                throw new FenceRevokedException("job", "the claim was revoked (job cancelled or reclaimed)");
            }
        };

        assertThatThrownBy(() -> executor.execute(request(MaintenanceAction.REWRITE_DATA_FILES),
                revokedAfterTwoGroups)).isInstanceOf(FenceRevokedException.class);

        Table after = warehouse.load("events");
        assertThat(Warehouse.rows(after)).isEqualTo(before);
        assertThat(Warehouse.liveDataFiles(after)).as("two partitions compacted, two untouched")
                .hasSize(2 + 2 * 55);
    }

    private String metadataLocation() {
        return ((HasTableOperations) warehouse.load("events")).operations().current()
                .metadataFileLocation();
    }
}
