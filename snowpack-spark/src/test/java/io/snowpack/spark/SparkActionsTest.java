package io.snowpack.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.iceberg.IcebergMaintenanceExecutor;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.junit.jupiter.api.Test;

/**
 * The five actions through the Spark executor on real tables in {@code local[2]}, partitioned, with position
 * deletes (Spark's merge-on-read {@code DELETE}) and equality deletes: every live row is still there and no deleted
 * row came back (Iceberg's generic reader is the oracle), the table's sort order is honoured when asked, and each
 * commit carries the job's id, attempt, fence and action.
 */
class SparkActionsTest {
    private static final long FENCE = 11;

    private static MaintenanceExecutor executor(SparkTables tables, Clock clock) {
        return SparkMaintenanceExecutor.builder(tables.catalog, tables.spark)
                .config(SnowpackConfig.defaults())
                .orphanAgeOverrideForTests(Duration.ofHours(1))
                .clock(clock)
                .build();
    }

    private static ActionResult run(SparkTables tables, MaintenanceAction action) {
        return run(tables, action, Clock.systemUTC());
    }

    private static ActionResult run(SparkTables tables, MaintenanceAction action, Clock clock) {
        ActionRequest request = new ActionRequest(JobId.random(), tables.id, action, 1, FENCE);
        ActionResult result = executor(tables, clock).execute(request, Checkpoint.none());
        assertThat(result.success()).as(result.message()).isTrue();
        return result;
    }

    private static SparkTables table(String name, PartitionSpec spec, Map<String, String> properties) {
        SparkTables tables = new SparkTables(SharedSpark.freshDatabase("actions"), name);
        tables.create(spec, properties);
        return tables;
    }

    private static void assertTaggedBy(Snapshot snapshot, MaintenanceAction action) {
        assertThat(snapshot.summary())
                .containsKey("snowpack.job-id")
                .containsEntry("snowpack.attempt", "1")
                .containsEntry("snowpack.fence", Long.toString(FENCE))
                .containsEntry("snowpack.action", action.wireName());
    }

    @Test
    void compactionKeepsEveryLiveRowAndDropsPositionAndEqualityDeletes() {
        SparkTables tables = table("events", SparkTables.BY_CATEGORY, Map.of("snowpack.min_input_files", "2",
                "snowpack.rewrite_data_delete_file_threshold", "1"));
        tables.append(0, 3_000, 3);
        tables.append(3_000, 6_000, 3);
        tables.deleteWhere("id % 7 = 0");
        tables.equalityDelete(1, 2, 3, 10, 11, 12);
        List<String> before = tables.rows();
        int filesBefore = tables.dataFiles().size();
        assertThat(tables.deleteFiles()).as("position and equality delete files").isGreaterThanOrEqualTo(6);

        ActionResult result = run(tables, MaintenanceAction.REWRITE_DATA_FILES);

        assertThat(tables.rows()).as("live rows after the rewrite").isEqualTo(before);
        assertThat(before).as("rows deleted by position and by equality").noneMatch(row -> row.startsWith("(7,")
                || row.startsWith("(1,") || row.startsWith("(11,"));
        assertThat(before).anyMatch(row -> row.startsWith("(8,"));
        assertThat(tables.dataFiles()).hasSizeLessThan(filesBefore);
        assertThat(tables.deleteFiles()).as("delete files left on rewritten data").isZero();
        assertThat(result.metrics()).containsEntry("files_in", (long) filesBefore);
        assertThat(result.metrics().get("commits")).as("a commit per group (partial progress) and one removing "
                + "the equality deletes no data file needs any more").isGreaterThanOrEqualTo(2);
        assertThat(result.metrics().get("dangling_delete_files_removed")).isPositive();
        assertThat(tables.load().snapshots()).as("commits of the rewrite").filteredOn(snapshot ->
                snapshot.summary().containsKey("snowpack.action")).allSatisfy(snapshot ->
                assertTaggedBy(snapshot, MaintenanceAction.REWRITE_DATA_FILES)).hasSize(
                result.metrics().get("commits").intValue());
        assertThat(result.metrics().get("spark_jobs")).isPositive();
        assertThat(result.message()).contains("Spark jobs");
        assertTaggedBy(tables.load().currentSnapshot(), MaintenanceAction.REWRITE_DATA_FILES);
    }

    @Test
    void sortCompactionHonoursTheTableSortOrder() throws IOException {
        SparkTables tables = table("sorted", SparkTables.BY_CATEGORY, Map.of("snowpack.min_input_files", "2"));
        tables.append(0, 2_000, 4);
        tables.append(2_000, 4_000, 4);
        tables.deleteWhere("id % 5 = 0");
        tables.load().replaceSortOrder().desc("amount").commit();
        List<String> before = tables.rows();

        run(tables, MaintenanceAction.REWRITE_DATA_FILES);

        Table table = tables.load();
        assertThat(tables.rows()).isEqualTo(before);
        for (DataFile file : tables.dataFiles()) {
            assertThat(file.sortOrderId()).as("sort order id of %s", file.location())
                    .isEqualTo(table.sortOrder().orderId());
            List<Double> amounts = new ArrayList<>();
            try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(file.location()))
                    .project(table.schema())
                    .createReaderFunc(type -> GenericParquetReaders.buildReader(table.schema(), type))
                    .build()) {
                rows.forEach(row -> amounts.add((Double) row.getField("amount")));
            }
            assertThat(amounts).as("amounts in %s", file.location()).isSortedAccordingTo((a, b) -> b.compareTo(a));
        }
    }

    @Test
    void zOrderCompactionKeepsTheRows() {
        SparkTables tables = table("zordered", PartitionSpec.unpartitioned(), Map.of("snowpack.min_input_files", "2",
                "snowpack.rewrite_strategy", "zorder", "snowpack.zorder_columns", "id,amount"));
        tables.append(0, 2_000, 4);
        tables.equalityDelete(3, 4, 5);
        List<String> before = tables.rows();

        ActionResult result = run(tables, MaintenanceAction.REWRITE_DATA_FILES);

        assertThat(tables.rows()).isEqualTo(before);
        assertThat(result.message()).contains("zorder");
        assertThat(tables.dataFiles()).hasSize(1);
    }

    @Test
    void positionDeleteRewriteMergesDeleteFilesAndKeepsDeletedRowsDeleted() {
        // partition-scoped deletes: each DELETE adds a file per partition instead of merging into the previous one
        SparkTables tables = table("deletes", SparkTables.BY_CATEGORY, Map.of("snowpack.delete_file_threshold", "2",
                "write.delete.granularity", "partition"));
        tables.append(0, 3_000, 1);
        for (int k : new int[] {11, 13, 17, 19}) {
            tables.deleteWhere("id % " + k + " = 0");
        }
        List<String> before = tables.rows();
        long deleteFilesBefore = tables.deleteFiles();

        ActionResult result = run(tables, MaintenanceAction.REWRITE_POSITION_DELETE_FILES);

        assertThat(tables.rows()).isEqualTo(before);
        assertThat(tables.deleteFiles()).isLessThan(deleteFilesBefore);
        assertThat(result.metrics().get("delete_files_in")).isEqualTo(deleteFilesBefore);
        assertTaggedBy(tables.load().currentSnapshot(), MaintenanceAction.REWRITE_POSITION_DELETE_FILES);
    }

    @Test
    void expiryKeepsTheNewestSnapshotsAndDeletesOnlyWhatTheyNoLongerReference() {
        SparkTables tables = table("history", SparkTables.BY_CATEGORY, Map.of("snowpack.min_input_files", "2",
                "snowpack.min_snapshots_to_keep", "1", "snowpack.max_snapshot_age_days", "1"));
        for (int i = 0; i < 4; i++) {
            tables.append(i * 500L, i * 500L + 500, 1);
        }
        run(tables, MaintenanceAction.REWRITE_DATA_FILES);
        List<String> before = tables.rows();
        int snapshotsBefore = (int) java.util.stream.StreamSupport.stream(tables.load().snapshots().spliterator(), false).count();

        ActionResult result = run(tables, MaintenanceAction.EXPIRE_SNAPSHOTS,
                Clock.offset(Clock.systemUTC(), Duration.ofDays(3)));

        Table table = tables.load();
        assertThat(table.snapshots()).hasSize(1);
        assertThat(result.metrics()).containsEntry("snapshots_expired", snapshotsBefore - 1L);
        assertThat(result.metrics().get("files_deleted")).as("compacted-away data files and their manifests")
                .isGreaterThanOrEqualTo(12);
        assertThat(tables.rows()).isEqualTo(before);
    }

    @Test
    void manifestRewriteMergesManifests() {
        SparkTables tables = table("manifests", SparkTables.BY_CATEGORY, Map.of());
        for (int i = 0; i < 5; i++) {
            tables.append(i * 100L, i * 100L + 100, 1);
        }
        List<String> before = tables.rows();
        int manifestsBefore = tables.load().currentSnapshot().allManifests(tables.load().io()).size();

        ActionResult result = run(tables, MaintenanceAction.REWRITE_MANIFESTS);

        Table table = tables.load();
        assertThat(table.currentSnapshot().allManifests(table.io())).hasSizeLessThan(manifestsBefore);
        assertThat(result.metrics()).containsEntry("manifests_in", (long) manifestsBefore);
        assertTaggedBy(table.currentSnapshot(), MaintenanceAction.REWRITE_MANIFESTS);
        assertThat(tables.rows()).isEqualTo(before);
    }

    @Test
    void orphanRemovalDeletesOnlyOldUnreferencedFiles() throws IOException {
        SparkTables tables = table("orphans", SparkTables.BY_CATEGORY, Map.of());
        tables.append(0, 600, 2);
        List<String> before = tables.rows();
        Path data = Path.of(java.net.URI.create(tables.load().location() + "/data"));
        Path old = Files.writeString(data.resolve("stray-old.parquet"), "not a table file");
        Path fresh = Files.writeString(data.resolve("stray-fresh.parquet"), "a writer's file, not committed yet");
        if (!old.toFile().setLastModified(System.currentTimeMillis() - Duration.ofHours(2).toMillis())) {
            throw new UncheckedIOException(new IOException("cannot back-date " + old));
        }

        ActionResult result = run(tables, MaintenanceAction.REMOVE_ORPHAN_FILES);

        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
        assertThat(result.metrics()).containsEntry("orphan_files_deleted", 1L);
        assertThat(tables.rows()).isEqualTo(before);
        assertThat(tables.dataFiles()).allSatisfy(file ->
                assertThat(new File(java.net.URI.create(file.location()))).exists());
    }

    @Test
    void aDryRunHasThePlainExecutorsShape() {
        SparkTables tables = table("preview", SparkTables.BY_CATEGORY, Map.of("snowpack.min_input_files", "2"));
        tables.append(0, 900, 3);
        MaintenanceExecutor plain = IcebergMaintenanceExecutor.create(tables.catalog, SnowpackConfig.defaults());
        String location = tables.metadataLocation();

        for (MaintenanceAction action : List.of(MaintenanceAction.REWRITE_DATA_FILES,
                MaintenanceAction.REWRITE_MANIFESTS, MaintenanceAction.EXPIRE_SNAPSHOTS)) {
            ActionResult spark = executor(tables, Clock.systemUTC()).preview(tables.id, action);
            ActionResult local = plain.preview(tables.id, action);
            assertThat(spark.metrics()).as(action.wireName()).isEqualTo(local.metrics());
            assertThat(spark.message()).isEqualTo(local.message());
        }
        assertThat(tables.metadataLocation()).isEqualTo(location);
    }
}
