package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One regression test per defect of the data-safety audit (issue 11). Each failed at e7023f4: compaction after a
 * spec change, the position-delete rewrite after a dropped partition field, orphan removal on a raw-prefix
 * FileIO and around nested tables, a re-run overwriting a committed file, name-mapped files, and the smaller
 * three (summary properties of the dangling-delete commit, v3 refused up front, the 3-day orphan floor).
 */
class DataSafetyRegressionTest {
    @TempDir
    Path root;

    private Warehouse warehouse;
    private IcebergMaintenanceExecutor executor;

    @BeforeEach
    void open() {
        warehouse = new Warehouse(root, RawPrefixFileIO.class.getName());
        executor = IcebergMaintenanceExecutor.create(warehouse.catalog, SnowpackConfig.defaults());
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private static ActionRequest request(String table, MaintenanceAction action) {
        return new ActionRequest(JobId.random(), TableId.of("db", table), action, 1, 1);
    }

    @Test
    void compactionAfterASpecChangeKeepsEveryRowInItsOwnPartition() {
        Table table = warehouse.create("evolving", RichRows.SCHEMA, PartitionSpec.unpartitioned(),
                Map.of("snowpack.min_input_files", "2"));
        for (int i = 0; i < 3; i++) {
            RichRows.append(warehouse.load("evolving"), RichRows.rows(table, i * 50, i * 50 + 50));
        }
        warehouse.load("evolving").updateSpec().addField("category").commit();
        for (int i = 3; i < 6; i++) {
            RichRows.append(warehouse.load("evolving"), RichRows.rows(table, i * 50, i * 50 + 50));
        }
        table = warehouse.load("evolving");
        List<String> before = TableOracle.rows(table);
        List<String> alpha = TableOracle.rowsWhere(table, Expressions.equal("category", "alpha"));
        List<String> noCategory = TableOracle.rowsWhere(table, Expressions.isNull("category"));

        executor.execute(request("evolving", MaintenanceAction.REWRITE_DATA_FILES), Checkpoint.none());

        Table after = warehouse.load("evolving");
        assertThat(TableOracle.rows(after)).isEqualTo(before);
        assertThat(alpha).hasSizeGreaterThan(80);
        assertThat(TableOracle.rowsWhere(after, Expressions.equal("category", "alpha"))).isEqualTo(alpha);
        assertThat(TableOracle.rowsWhere(after, Expressions.isNull("category"))).isEqualTo(noCategory);
        assertThat(Warehouse.liveDataFiles(after)).allMatch(f -> f.specId() == after.spec().specId());
    }

    @Test
    void positionDeleteRewriteAfterADroppedPartitionFieldKeepsDeletedRowsDeleted() {
        PartitionSpec spec = PartitionSpec.builderFor(RichRows.SCHEMA).identity("category").day("ts").build();
        warehouse.create("deletes", RichRows.SCHEMA, spec, Map.of());
        warehouse.load("deletes").updateSpec().removeField("ts_day").addField(Expressions.hour("ts")).commit();
        Table table = warehouse.load("deletes");
        OffsetDateTime hour = OffsetDateTime.of(2026, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC);
        List<DataFile> files = new ArrayList<>();
        for (int f = 0; f < 2; f++) {
            List<Record> rows = RichRows.rows(table, f * 20, f * 20 + 20);
            for (int i = 0; i < rows.size(); i++) {
                rows.get(i).setField("category", "alpha");
                rows.get(i).setField("ts", hour.plusMinutes(i));
            }
            files.addAll(RichRows.append(warehouse.load("deletes"), rows));
        }
        warehouse.deletePositions(warehouse.load("deletes"), files.get(0), 0, 3, 5);
        warehouse.deletePositions(warehouse.load("deletes"), files.get(1), 1, 2);
        List<String> before = TableOracle.rows(warehouse.load("deletes"));
        assertThat(before).hasSize(35);

        executor.execute(request("deletes", MaintenanceAction.REWRITE_POSITION_DELETE_FILES), Checkpoint.none());

        Table after = warehouse.load("deletes");
        assertThat(TableOracle.rows(after)).isEqualTo(before);
        assertThat(TableOracle.rowsAt(after, after.currentSnapshot().snapshotId())).isEqualTo(before);
    }

    @Test
    void orphanRemovalOnARawPrefixFileIONeverTouchesSiblingTables() throws IOException {
        IcebergMaintenanceExecutor eager = IcebergMaintenanceExecutor.builder(warehouse.catalog)
                .orphanAgeOverrideForTests(Duration.ZERO).build();
        warehouse.create("events", RichRows.SCHEMA, PartitionSpec.unpartitioned(), Map.of());
        warehouse.create("events_backup", RichRows.SCHEMA, PartitionSpec.unpartitioned(), Map.of());
        warehouse.namespaces().createNamespace(Namespace.of("db2"));
        warehouse.catalog.createTable(TableIdentifier.of("db2", "events2"), RichRows.SCHEMA,
                PartitionSpec.unpartitioned(), root.resolve("db/events2").toUri().toString(),
                Map.of("format-version", "2"));
        for (String name : List.of("events", "events_backup")) {
            RichRows.append(warehouse.load(name), RichRows.rows(warehouse.load(name), 0, 10));
        }
        Table events2 = warehouse.catalog.loadTable(TableIdentifier.of("db2", "events2"));
        RichRows.append(events2, RichRows.rows(events2, 0, 10));
        long backupFiles = filesUnder(root.resolve("db/events_backup"));
        long events2Files = filesUnder(root.resolve("db/events2"));

        eager.execute(request("events", MaintenanceAction.REMOVE_ORPHAN_FILES), Checkpoint.none());

        assertThat(filesUnder(root.resolve("db/events_backup"))).isEqualTo(backupFiles);
        assertThat(filesUnder(root.resolve("db/events2"))).isEqualTo(events2Files);
        assertThat(TableOracle.rows(warehouse.load("events_backup"))).hasSize(10);
        assertThat(TableOracle.rows(warehouse.catalog.loadTable(TableIdentifier.of("db2", "events2")))).hasSize(10);
    }

    @Test
    void orphanRemovalRefusesWhenATableOfAnotherNamespaceLivesInsideTheLocation() throws IOException {
        IcebergMaintenanceExecutor eager = IcebergMaintenanceExecutor.builder(warehouse.catalog)
                .orphanAgeOverrideForTests(Duration.ZERO).build();
        warehouse.create("outer", RichRows.SCHEMA, PartitionSpec.unpartitioned(), Map.of());
        RichRows.append(warehouse.load("outer"), RichRows.rows(warehouse.load("outer"), 0, 10));
        warehouse.namespaces().createNamespace(Namespace.of("other", "deep"));
        Table inner = warehouse.catalog.createTable(TableIdentifier.of(Namespace.of("other", "deep"), "inner"),
                RichRows.SCHEMA, PartitionSpec.unpartitioned(), root.resolve("db/outer/inner").toUri().toString(),
                Map.of("format-version", "2"));
        RichRows.append(inner, RichRows.rows(inner, 0, 10));
        long innerFiles = filesUnder(root.resolve("db/outer/inner"));

        assertThatThrownBy(() -> eager.execute(request("outer", MaintenanceAction.REMOVE_ORPHAN_FILES),
                Checkpoint.none()))
                .isInstanceOfSatisfying(ActionFailedException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("other.deep.inner");
        assertThat(filesUnder(root.resolve("db/outer/inner"))).isEqualTo(innerFiles);
    }

    @Test
    void orphanRemovalRefusesWhenAnotherTableWritesDataInsideTheLocation() throws IOException {
        IcebergMaintenanceExecutor eager = IcebergMaintenanceExecutor.builder(warehouse.catalog)
                .orphanAgeOverrideForTests(Duration.ZERO).build();
        warehouse.create("host", RichRows.SCHEMA, PartitionSpec.unpartitioned(), Map.of());
        RichRows.append(warehouse.load("host"), RichRows.rows(warehouse.load("host"), 0, 10));
        warehouse.create("guest", RichRows.SCHEMA, PartitionSpec.unpartitioned(),
                Map.of(TableProperties.WRITE_DATA_LOCATION, root.resolve("db/host/guest-data").toUri().toString()));
        RichRows.append(warehouse.load("guest"), RichRows.rows(warehouse.load("guest"), 0, 10));
        long guestFiles = filesUnder(root.resolve("db/host/guest-data"));
        assertThat(guestFiles).isPositive();

        assertThatThrownBy(() -> eager.execute(request("host", MaintenanceAction.REMOVE_ORPHAN_FILES),
                Checkpoint.none()))
                .isInstanceOf(ActionFailedException.class).hasMessageContaining("db.guest");
        assertThat(filesUnder(root.resolve("db/host/guest-data"))).isEqualTo(guestFiles);
        assertThat(TableOracle.rows(warehouse.load("guest"))).hasSize(10);
    }

    @Test
    void aReRunOfTheSameJobNeverOverwritesAFileItCommittedBefore() {
        warehouse.create("rerun", RichRows.SCHEMA, PartitionSpec.unpartitioned(), Map.of());
        List<DataFile> files = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            files.addAll(RichRows.append(warehouse.load("rerun"), RichRows.rows(warehouse.load("rerun"), f * 20,
                    f * 20 + 20)));
        }
        for (int i = 0; i < 4; i++) {
            warehouse.deletePositions(warehouse.load("rerun"), files.get(i % 3), i);
        }
        ActionRequest job = request("rerun", MaintenanceAction.REWRITE_POSITION_DELETE_FILES);
        executor.execute(job, Checkpoint.none());
        warehouse.load("rerun").manageSnapshots().createTag("after_first",
                warehouse.load("rerun").currentSnapshot().snapshotId()).commit();
        List<String> atTag = TableOracle.rowsAt(warehouse.load("rerun"),
                warehouse.load("rerun").refs().get("after_first").snapshotId());
        assertThat(atTag).hasSize(56);
        warehouse.deletePositions(warehouse.load("rerun"), files.get(0), 10);
        warehouse.deletePositions(warehouse.load("rerun"), files.get(1), 11);

        executor.execute(job, Checkpoint.none());

        Table after = warehouse.load("rerun");
        assertThat(TableOracle.rowsAt(after, after.refs().get("after_first").snapshotId())).isEqualTo(atTag);
        assertThat(TableOracle.rows(after)).hasSize(54);
    }

    @Test
    void compactionReadsFilesWithoutFieldIdsThroughTheNameMapping() {
        warehouse.create("migrated", LegacyParquet.SCHEMA, PartitionSpec.unpartitioned(), Map.of(
                TableProperties.DEFAULT_NAME_MAPPING, LegacyParquet.nameMapping(), "snowpack.min_input_files", "2"));
        LegacyParquet.add(warehouse.load("migrated"), root.resolve("legacy"), 3, 40, 0);
        List<String> before = TableOracle.rows(warehouse.load("migrated"));
        assertThat(before).contains("(0, alpha, note 0)");

        executor.execute(request("migrated", MaintenanceAction.REWRITE_DATA_FILES), Checkpoint.none());

        Table after = warehouse.load("migrated");
        assertThat(Warehouse.liveDataFiles(after)).hasSize(1);
        assertThat(TableOracle.rows(after)).isEqualTo(before);
        assertThat(TableOracle.rowsWhere(after, Expressions.equal("category", "beta"))).hasSize(40);
    }

    @Test
    void theDanglingDeleteCleanupCommitCarriesTheJobsSummaryProperties() {
        warehouse.create("dangling", RichRows.SCHEMA, PartitionSpec.unpartitioned(), Map.of());
        List<DataFile> files = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            files.addAll(RichRows.append(warehouse.load("dangling"),
                    RichRows.rows(warehouse.load("dangling"), f * 10, f * 10 + 10)));
        }
        warehouse.deletePositions(warehouse.load("dangling"), files.get(0), 1);
        // another writer drops the data file: its delete file now deletes from nothing
        warehouse.load("dangling").newDelete().deleteFile(files.get(0)).commit();
        List<String> before = TableOracle.rows(warehouse.load("dangling"));
        long start = warehouse.load("dangling").currentSnapshot().snapshotId();

        ActionRequest job = request("dangling", MaintenanceAction.REWRITE_POSITION_DELETE_FILES);
        ActionResult result = executor.execute(job, Checkpoint.none());

        Table after = warehouse.load("dangling");
        List<Snapshot> made = new ArrayList<>();
        for (Snapshot s = after.currentSnapshot(); s.snapshotId() != start; s = after.snapshot(s.parentId())) {
            made.add(s);
        }
        assertThat(result.metrics()).containsEntry("dangling_delete_files_removed", 1L);
        assertThat(made).hasSize(1).allSatisfy(s -> assertThat(s.summary())
                .containsEntry("snowpack.job-id", job.jobId().value())
                .containsEntry("snowpack.action", "rewrite_position_delete_files"));
        assertThat(TableOracle.rows(after)).isEqualTo(before);
    }

    @Test
    void aV3TableWithParquetDeletesNeverGetsAParquetDeleteFileWritten() throws IOException {
        warehouse.create("upgraded", RichRows.SCHEMA, PartitionSpec.unpartitioned(), Map.of());
        List<DataFile> files = RichRows.append(warehouse.load("upgraded"),
                RichRows.rows(warehouse.load("upgraded"), 0, 20));
        warehouse.deletePositions(warehouse.load("upgraded"), files.get(0), 1);
        warehouse.deletePositions(warehouse.load("upgraded"), files.get(0), 2);
        warehouse.load("upgraded").updateProperties().set(TableProperties.FORMAT_VERSION, "3").commit();
        // the first commit after the upgrade gives the older rows their row ids: let a writer make it
        RichRows.append(warehouse.load("upgraded"), RichRows.rows(warehouse.load("upgraded"), 20, 25));
        List<String> before = TableOracle.rows(warehouse.load("upgraded"));
        long parquet = parquetFilesUnder(root);

        ActionResult result = executor.execute(request("upgraded", MaintenanceAction.REWRITE_POSITION_DELETE_FILES),
                Checkpoint.none());

        assertThat(result.metrics()).containsEntry("delete_files_in", 2L).containsEntry("delete_files_out", 1L);
        assertThat(parquetFilesUnder(root)).as("no Parquet file written, which Iceberg would refuse at commit on "
                + "v3").isEqualTo(parquet);
        assertThat(TableOracle.rows(warehouse.load("upgraded"))).isEqualTo(before);
    }

    @Test
    void anUnreferencedFileYoungerThanThreeDaysIsKeptWhateverTheTableSays() throws IOException {
        warehouse.create("young", RichRows.SCHEMA, PartitionSpec.unpartitioned(),
                Map.of("snowpack.orphan_file_age_days", "1"));
        RichRows.append(warehouse.load("young"), RichRows.rows(warehouse.load("young"), 0, 10));
        Path inFlight = Files.writeString(root.resolve("db/young/data/uncommitted-writer.parquet"), "in flight");
        Files.setLastModifiedTime(inFlight, FileTime.from(Instant.now().minus(Duration.ofHours(30))));
        Path old = Files.writeString(root.resolve("db/young/data/crashed-writer.parquet"), "crashed");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(4))));

        executor.execute(request("young", MaintenanceAction.REMOVE_ORPHAN_FILES), Checkpoint.none());

        assertThat(inFlight).exists();
        assertThat(old).doesNotExist();
    }

    private String metadataLocation(String table) {
        return ((HasTableOperations) warehouse.load(table)).operations().current().metadataFileLocation();
    }

    static long filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".crc"))
                    .count();
        }
    }

    static long parquetFilesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".parquet")).count();
        }
    }
}
