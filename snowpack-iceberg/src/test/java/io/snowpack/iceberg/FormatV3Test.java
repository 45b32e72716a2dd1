package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.policy.TableSettings;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.actions.RewriteFileGroup;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.ContentFileUtil;
import org.apache.iceberg.util.PartitionUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format v3 on real tables: compaction carries every row's lineage ({@code _row_id},
 * {@code _last_updated_sequence_number}) and applies deletion vectors, which leave with their data files; a sort
 * that spills runs to disk keeps lineage too; a table upgraded from v2 gets its position-delete files rewritten into
 * one deletion vector per data file, except where a vector already rules; health counts vectors apart and asks for
 * the rewrite while position-delete files remain.
 */
class FormatV3Test {
    @TempDir
    Path root;

    private Warehouse warehouse;
    private IcebergMaintenanceExecutor executor;

    @BeforeEach
    void open() {
        warehouse = new Warehouse(root);
        executor = IcebergMaintenanceExecutor.create(warehouse.catalog, SnowpackConfig.defaults());
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    @Test
    void compactionKeepsRowLineageAndDropsDeletionVectorsWithTheirFiles() {
        Table table = v3Table("lineage", Map.of());
        List<DataFile> files = Warehouse.liveDataFiles(warehouse.load("lineage"));
        warehouse.deletePositions(warehouse.load("lineage"), files.get(0), 0, 3);
        warehouse.deletePositions(warehouse.load("lineage"), files.get(0), 5); // merged into one vector
        warehouse.deletePositions(warehouse.load("lineage"), files.get(1), 2);
        warehouse.deleteIds(warehouse.load("lineage"), "click", 11);
        Map<Long, String> lineage = lineage(warehouse.load("lineage"));
        List<String> rows = TableOracle.rows(warehouse.load("lineage"));
        assertThat(deleteFiles(warehouse.load("lineage"))).filteredOn(ContentFileUtil::isDV).hasSize(2);
        assertThat(lineage).as("every row has a row id").hasSize(rows.size()).doesNotContainKey(null);

        ActionResult result = executor.execute(request("lineage", MaintenanceAction.REWRITE_DATA_FILES),
                Checkpoint.none());

        Table after = warehouse.load("lineage");
        assertThat(result.metrics().get("files_in")).isPositive();
        assertThat(TableOracle.rows(after)).as("rows and their lineage").isEqualTo(rows);
        assertThat(lineage(after)).as("_row_id -> _last_updated_sequence_number").isEqualTo(lineage);
        assertThat(deleteFiles(after)).as("deletion vectors left with the files they deleted from")
                .noneMatch(ContentFileUtil::isDV);
        assertThat(Warehouse.liveDataFiles(after)).hasSizeLessThan(files.size());
        assertThat(table.currentSnapshot()).isNotNull();
    }

    @Test
    void aSortThatSpillsRunsToDiskKeepsRowLineage() {
        Table table = v3Table("spilled", Map.of("snowpack.rewrite_strategy", "sort"));
        table.replaceSortOrder().desc("id").commit();
        table = warehouse.load("spilled");
        warehouse.deletePositions(table, Warehouse.liveDataFiles(table).get(0), 1);
        table = warehouse.load("spilled");
        Map<Long, String> lineage = lineage(table);
        TableSettings settings = TableSettings.resolve(table.properties(), SnowpackConfig.defaults());
        RewriteFileGroup group = DataFileCompaction.plan(table, table.currentSnapshot(), settings).get(0);
        Verification verification = new Verification(RewriteFaults.NONE,
                new VerificationMetrics(new SimpleMeterRegistry()));

        new DataGroupRewrite(table, group, request("spilled", MaintenanceAction.REWRITE_DATA_FILES), verification,
                RowOrder.of(table, settings), 7).run();

        Map<Long, String> written = new HashMap<>();
        Schema lineageOnly = new Schema(MetadataColumns.ROW_ID, MetadataColumns.LAST_UPDATED_SEQUENCE_NUMBER);
        for (DataFile file : group.addedFiles()) {
            try (CloseableIterable<Record> records = FormatModelRegistry.<Record, Schema>readBuilder(
                    FileFormat.PARQUET, Record.class, table.io().newInputFile(file.location()))
                    .project(lineageOnly).idToConstant(Map.of(MetadataColumns.ROW_ID.fieldId(), -1_000_000L,
                            MetadataColumns.LAST_UPDATED_SEQUENCE_NUMBER.fieldId(), -1L)).build()) {
                records.forEach(r -> written.put((Long) r.get(0), "seq " + r.get(1)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<Long, String> inGroup = new HashMap<>();
        lineage.forEach((id, seq) -> {
            if (written.containsKey(id)) {
                inGroup.put(id, seq);
            }
        });
        assertThat(written).as("each output row holds the row id and sequence number it was read with, none "
                + "inherited from the new file").isEqualTo(inGroup).allSatisfy((id, seq) ->
                assertThat(id).isNotNegative());
        assertThat((long) written.size()).isEqualTo(group.addedFiles().stream().mapToLong(DataFile::recordCount)
                .sum());
    }

    @Test
    void positionDeleteFilesOfAnUpgradedTableBecomeDeletionVectors() {
        warehouse.create("upgraded", Warehouse.BY_KIND, Map.of("snowpack.verify_after_commit", "true"));
        for (int i = 0; i < 3; i++) {
            warehouse.append(warehouse.load("upgraded"), 2, 10, "view", "click");
        }
        List<DataFile> files = Warehouse.liveDataFiles(warehouse.load("upgraded"));
        DataFile withVectorLater = files.get(0);
        warehouse.deletePositions(warehouse.load("upgraded"), files.get(0), 1);
        warehouse.deletePositions(warehouse.load("upgraded"), files.get(1), 2);
        warehouse.deletePositions(warehouse.load("upgraded"), files.get(1), 3, 4);
        DataFile sameKind = files.stream().skip(2).filter(f -> f.partition().get(0, String.class)
                .equals(files.get(1).partition().get(0, String.class))).findFirst().orElseThrow();
        partitionScopedDeletes(warehouse.load("upgraded"), files.get(1), 7, sameKind, 0);
        warehouse.deleteIds(warehouse.load("upgraded"), "view", 1);
        warehouse.load("upgraded").updateProperties().set(TableProperties.FORMAT_VERSION, "3").commit();
        warehouse.deletePositions(warehouse.load("upgraded"), withVectorLater, 6); // merges its position deletes
        Table before = warehouse.load("upgraded");
        List<String> rows = TableOracle.rows(before);
        long parquetDeletes = deleteFiles(before).stream().filter(f -> f.content() == FileContent.POSITION_DELETES
                && !ContentFileUtil.isDV(f)).count();
        assertThat(parquetDeletes).as("the vector written after the upgrade replaced its file-scoped deletes")
                .isEqualTo(3);
        TableHealth health = health(before);
        assertThat(health.positionDeleteFiles()).isEqualTo(3);
        assertThat(health.deletionVectors()).isEqualTo(1);
        assertThat(health.reasons()).anySatisfy(r -> assertThat(r).startsWith("rewrite_position_delete_files: 3 "
                + "position delete files on a format v3 table"));
        ActionResult preview = executor.preview(TableId.of("db", "upgraded"),
                MaintenanceAction.REWRITE_POSITION_DELETE_FILES);
        assertThat(preview.message()).isEqualTo("Would rewrite 3 position-delete files into deletion vectors "
                + "(format v3)");

        ActionResult result = executor.execute(request("upgraded", MaintenanceAction.REWRITE_POSITION_DELETE_FILES),
                Checkpoint.none());

        Table after = warehouse.load("upgraded");
        assertThat(result.metrics()).containsEntry("delete_files_in", 3L).containsEntry("delete_files_out", 2L);
        assertThat(TableOracle.rows(after)).as("rows and lineage, read by Iceberg's own reader").isEqualTo(rows);
        List<DeleteFile> deletes = deleteFiles(after);
        assertThat(deletes).noneMatch(f -> f.content() == FileContent.POSITION_DELETES && !ContentFileUtil.isDV(f));
        List<DeleteFile> vectors = deletes.stream().filter(ContentFileUtil::isDV).toList();
        assertThat(vectors).extracting(DeleteFile::referencedDataFile).doesNotHaveDuplicates()
                .containsExactlyInAnyOrder(withVectorLater.location(), files.get(1).location(), sameKind.location());
        assertThat(vectors).filteredOn(v -> v.referencedDataFile().equals(files.get(1).location()))
                .singleElement().satisfies(v -> assertThat(v.recordCount()).isEqualTo(4));
        assertThat(deletes).filteredOn(f -> f.content() == FileContent.EQUALITY_DELETES).hasSize(1);
        assertThat(after.currentSnapshot().summary()).containsEntry(CommitProperties.ACTION,
                "rewrite_position_delete_files");
        TableHealth healed = health(after);
        assertThat(healed.positionDeleteFiles()).isZero();
        assertThat(healed.deletionVectors()).isEqualTo(3);
        assertThat(healed.reasons()).noneMatch(r -> r.startsWith("rewrite_position_delete_files"));

        ActionResult again = executor.execute(request("upgraded", MaintenanceAction.REWRITE_POSITION_DELETE_FILES),
                Checkpoint.none());
        assertThat(again.metrics()).containsEntry("delete_files_in", 0L);
        ActionResult compacted = executor.execute(request("upgraded", MaintenanceAction.REWRITE_DATA_FILES),
                Checkpoint.none());
        assertThat(compacted.metrics().get("files_in")).isPositive();
        assertThat(TableOracle.rows(warehouse.load("upgraded"))).isEqualTo(rows);
    }

    private Table v3Table(String name, Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put(TableProperties.FORMAT_VERSION, "3");
        all.put("snowpack.min_input_files", "2");
        all.put("snowpack.verify_after_commit", "true");
        warehouse.create(name, Warehouse.BY_KIND, all);
        for (int i = 0; i < 3; i++) {
            warehouse.append(warehouse.load(name), 2, 10, "view", "click");
        }
        return warehouse.load(name);
    }

    /** One position-delete file (v2) deleting from two data files of one partition: partition-scoped. */
    private static void partitionScopedDeletes(Table table, DataFile first, long firstPos, DataFile second,
            long secondPos) {
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .deleteFileFormat(FileFormat.PARQUET).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 9, System.nanoTime()).format(FileFormat.PARQUET)
                .build();
        PartitionSpec spec = table.specs().get(first.specId());
        PositionDeleteWriter<Record> writer = writers.newPositionDeleteWriter(
                out.newOutputFile(spec, first.partition()), spec, first.partition());
        List<String> paths = new ArrayList<>(List.of(first.location(), second.location()));
        paths.sort(null);
        try (writer) {
            for (String path : paths) {
                writer.write(PositionDelete.<Record>create().set(path, path.equals(first.location()) ? firstPos
                        : secondPos));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(writer.toDeleteFile().referencedDataFile()).as("partition-scoped").isNull();
        table.newRowDelta().addDeletes(writer.toDeleteFile()).commit();
    }

    /** Each live row's {@code _row_id} and its {@code _last_updated_sequence_number}, read by Iceberg's reader. */
    private static Map<Long, String> lineage(Table table) {
        Schema schema = MetadataColumns.schemaWithRowLineage(table.schema());
        Map<Long, String> lineage = new HashMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                GenericDeleteFilter deletes = new GenericDeleteFilter(table.io(), task, schema, schema);
                try (CloseableIterable<Record> rows = deletes.filter(FormatModelRegistry.<Record, Schema>readBuilder(
                        FileFormat.PARQUET, Record.class, table.io().newInputFile(task.file().location()))
                        .project(deletes.requiredSchema())
                        .idToConstant(PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant))
                        .build())) {
                    for (Record row : rows) {
                        String previous = lineage.put((Long) row.getField(MetadataColumns.ROW_ID.name()),
                                "seq " + row.getField(MetadataColumns.LAST_UPDATED_SEQUENCE_NUMBER.name()));
                        assertThat(previous).as("row ids are unique").isNull();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lineage;
    }

    private static List<DeleteFile> deleteFiles(Table table) {
        Set<String> seen = new HashSet<>();
        List<DeleteFile> deletes = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                task.deletes().stream().filter(d -> seen.add(d.location() + "@" + d.contentOffset()))
                        .forEach(deletes::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // delete files no live data file reads count too: list them from the delete manifests
        for (DeleteFile file : DeletionVectorConversion.positionDeleteFiles(table, table.currentSnapshot())) {
            if (seen.add(file.location() + "@" + file.contentOffset())) {
                deletes.add(file);
            }
        }
        return deletes;
    }

    private TableHealth health(Table table) {
        return new HealthReader(SnowpackConfig.defaults()).read(TableId.of("db", table.name().substring(
                table.name().lastIndexOf('.') + 1)), table, Instant.now());
    }

    private static ActionRequest request(String table, MaintenanceAction action) {
        return new ActionRequest(JobId.random(), TableId.of("db", table), action, 1, 1);
    }
}
