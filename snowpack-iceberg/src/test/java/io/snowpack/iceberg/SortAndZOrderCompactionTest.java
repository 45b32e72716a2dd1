package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.policy.TableSettings;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewriteFileGroup;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.util.ZOrderByteUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code snowpack.rewrite_strategy} on real tables: a sort rewrite writes every output file in the table's sort order
 * and claims it, bin-pack and z-order claim none, z-order writes files ordered by z-value, every strategy keeps the
 * row multiset (deletes applied), and a bad configuration fails before anything is written. Rows are appended with
 * ascending ids, so a sort by {@code id DESC} has to reverse every file.
 */
class SortAndZOrderCompactionTest {
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

    private Table table(String name, PartitionSpec spec, Map<String, String> properties, boolean sortedByIdDesc) {
        Map<String, String> all = new HashMap<>(properties);
        all.putIfAbsent("snowpack.min_input_files", "2");
        Table table = warehouse.create(name, spec, all);
        if (sortedByIdDesc) {
            table.replaceSortOrder().desc("id").commit();
        }
        for (int i = 0; i < 4; i++) {
            warehouse.append(warehouse.load(name), 5, 10, "view", "click", "buy", "refund");
        }
        return warehouse.load(name);
    }

    private ActionResult compact(String name) {
        return executor.execute(new ActionRequest(JobId.random(), TableId.of("db", name),
                MaintenanceAction.REWRITE_DATA_FILES, 1, 1), Checkpoint.none());
    }

    @ParameterizedTest(name = "partitioned={0}")
    @ValueSource(booleans = {false, true})
    void aTableWithASortOrderIsCompactedInItByDefaultAndItsFilesClaimIt(boolean partitioned) {
        table("sorted", partitioned ? Warehouse.BY_KIND : PartitionSpec.unpartitioned(), Map.of(), true);
        List<String> before = TableOracle.rows(warehouse.load("sorted"));

        ActionResult result = compact("sorted");

        Table after = warehouse.load("sorted");
        assertThat(TableOracle.rows(after)).isEqualTo(before);
        assertThat(result.message()).startsWith("Compacted 20 files into " + (partitioned ? "4 files" : "1 file"))
                .contains("(sort by [id DESC NULLS LAST])");
        assertThat(result.metrics()).containsEntry("files_in", 20L).containsEntry("files_out", partitioned ? 4L : 1L);
        int sortOrderId = after.sortOrder().orderId();
        assertThat(sortOrderId).isPositive();
        for (DataFile file : Warehouse.liveDataFiles(after)) {
            assertThat(file.sortOrderId()).as(file.location()).isEqualTo(sortOrderId);
            List<Long> ids = ids(after, file);
            assertThat(ids).as(file.location()).hasSizeGreaterThan(1).isSortedAccordingTo(Comparator.reverseOrder());
        }
    }

    @Test
    void binPackOutputClaimsNoSortOrderEvenOnASortedTable() {
        table("plain", Warehouse.BY_KIND, Map.of(), false);
        table("asked", Warehouse.BY_KIND, Map.of("snowpack.rewrite_strategy", "binpack"), true);
        List<String> plainBefore = TableOracle.rows(warehouse.load("plain"));

        assertThat(compact("plain").message()).contains("(binpack)");
        assertThat(compact("asked").message()).contains("(binpack)");

        assertThat(TableOracle.rows(warehouse.load("plain"))).isEqualTo(plainBefore);
        for (String name : List.of("plain", "asked")) {
            assertThat(Warehouse.liveDataFiles(warehouse.load(name))).hasSize(4)
                    .allSatisfy(f -> assertThat(f.sortOrderId()).as(f.location()).isZero());
        }
    }

    @Test
    void zOrderOnTwoColumnsKeepsTheRowsWritesFilesInZOrderAndClaimsNoSortOrder() {
        table("points", PartitionSpec.unpartitioned(), Map.of("snowpack.rewrite_strategy", "zorder",
                "snowpack.zorder_columns", "kind, id"), true);
        List<String> before = TableOracle.rows(warehouse.load("points"));

        ActionResult result = compact("points");

        Table after = warehouse.load("points");
        assertThat(TableOracle.rows(after)).isEqualTo(before);
        assertThat(result.message()).contains("(zorder by [kind, id])");
        List<DataFile> files = Warehouse.liveDataFiles(after);
        assertThat(files).hasSize(1);
        DataFile file = files.get(0);
        assertThat(file.sortOrderId()).as("z-order is no Iceberg sort order").isZero();
        List<Record> rows = rows(after, file);
        List<byte[]> zValues = rows.stream().map(SortAndZOrderCompactionTest::zValueOfKindAndId).toList();
        assertThat(zValues).isSortedAccordingTo(Comparators.unsignedByteArrays());
        List<Long> ids = rows.stream().map(r -> (Long) r.getField("id")).toList();
        assertThat(ids).as("the rows were reordered").isNotEqualTo(ids.stream().sorted().toList())
                .isNotEqualTo(ids.stream().sorted(Comparator.reverseOrder()).toList());
    }

    /** The z-value of (kind, id), computed here from Iceberg's byte utilities, not from Snowpack's code. */
    private static byte[] zValueOfKindAndId(Record row) {
        byte[] kind = ZOrderByteUtils.stringToOrderedBytes((String) row.getField("kind"), 8, ByteBuffer.allocate(8),
                StandardCharsets.UTF_8.newEncoder()).array();
        byte[] id = ZOrderByteUtils.longToOrderedBytes((Long) row.getField("id"), ByteBuffer.allocate(8)).array();
        return ZOrderByteUtils.interleaveBits(new byte[][] {kind, id}, 16, ByteBuffer.allocate(16));
    }

    @Test
    void aBadZOrderColumnIsAConfigurationErrorNamingItAndNothingIsWritten() throws IOException {
        table("bad", PartitionSpec.unpartitioned(), Map.of("snowpack.rewrite_strategy", "zorder",
                "snowpack.zorder_columns", "id,colour"), false);
        long snapshot = warehouse.load("bad").currentSnapshot().snapshotId();
        long parquet = DataSafetyRegressionTest.parquetFilesUnder(root);

        assertThatThrownBy(() -> compact("bad"))
                .isInstanceOfSatisfying(RewriteConfigurationException.class,
                        e -> assertThat(e.isTransient()).isFalse())
                .hasMessage("rewrite_data_files: snowpack.zorder_columns='id,colour' names 'colour', which is not a "
                        + "column of the table; expected columns of [id, kind, note]");
        assertThatThrownBy(() -> executor.preview(TableId.of("db", "bad"), MaintenanceAction.REWRITE_DATA_FILES))
                .isInstanceOf(RewriteConfigurationException.class);

        warehouse.load("bad").updateProperties().remove("snowpack.zorder_columns").commit();
        assertThatThrownBy(() -> compact("bad")).isInstanceOf(RewriteConfigurationException.class)
                .hasMessageContaining("snowpack.rewrite_strategy=zorder needs snowpack.zorder_columns");
        warehouse.load("bad").updateProperties().set("snowpack.rewrite_strategy", "sort").commit();
        assertThatThrownBy(() -> compact("bad")).isInstanceOf(RewriteConfigurationException.class)
                .hasMessageContaining("snowpack.rewrite_strategy='sort' but the table has no sort order");

        assertThat(DataSafetyRegressionTest.parquetFilesUnder(root)).as("nothing written").isEqualTo(parquet);
        assertThat(warehouse.load("bad").currentSnapshot().snapshotId()).as("nothing committed").isEqualTo(snapshot);
    }

    @Test
    void aSortRewriteAppliesPositionAndEqualityDeletes() {
        table("deleted", Warehouse.BY_KIND, Map.of(), true);
        List<DataFile> files = Warehouse.liveDataFiles(warehouse.load("deleted"));
        warehouse.deletePositions(warehouse.load("deleted"), files.get(0), 0, 3);
        warehouse.deletePositions(warehouse.load("deleted"), files.get(7), 9);
        warehouse.deleteIds(warehouse.load("deleted"), "view", 0, 20, 40);
        warehouse.deleteIds(warehouse.load("deleted"), "click", 11);
        List<String> before = TableOracle.rows(warehouse.load("deleted"));
        assertThat(before).hasSizeLessThan(200);

        ActionResult result = compact("deleted");

        Table after = warehouse.load("deleted");
        assertThat(result.message()).contains("sort by");
        assertThat(TableOracle.rows(after)).isEqualTo(before);
        assertThat(after.currentSnapshot().summary()).containsEntry("total-delete-files", "0");
        for (DataFile file : Warehouse.liveDataFiles(after)) {
            assertThat(ids(after, file)).isSortedAccordingTo(Comparator.reverseOrder())
                    .doesNotContain(0L, 40L, 11L);
        }
    }

    @Test
    void anOutputFileOutOfOrderIsNeverCommitted() throws IOException {
        table("swapped", PartitionSpec.unpartitioned(), Map.of("snowpack.partial_progress_max_commits", "1"), true);
        String metadata = metadataLocation("swapped");
        long parquet = DataSafetyRegressionTest.parquetFilesUnder(root);
        RewriteFaults swapTwoRows = new RewriteFaults() {
            private Record held;

            @Override
            public void writeRow(Record row, StructLike partition, BiConsumer<Record, StructLike> out) {
                if ((Long) row.getField("id") == 150L) {
                    held = row;
                    return;
                }
                out.accept(row, partition);
                if (held != null) {
                    out.accept(held, partition);
                    held = null;
                }
            }
        };
        IcebergMaintenanceExecutor faulty = IcebergMaintenanceExecutor.builder(warehouse.catalog)
                .meterRegistry(new SimpleMeterRegistry()).faultsForTests(swapTwoRows).build();

        assertThatThrownBy(() -> faulty.execute(new ActionRequest(JobId.random(), TableId.of("db", "swapped"),
                MaintenanceAction.REWRITE_DATA_FILES, 1, 1), Checkpoint.none()))
                .isInstanceOfSatisfying(VerificationFailedException.class,
                        e -> assertThat(e.invariant()).isEqualTo("rows_in_order"))
                .hasMessageContaining("is not in sort by [id DESC NULLS LAST] order: the row at position 50");

        assertThat(metadataLocation("swapped")).as("nothing committed").isEqualTo(metadata);
        assertThat(DataSafetyRegressionTest.parquetFilesUnder(root)).as("the output was deleted").isEqualTo(parquet);
    }

    @Test
    void aGroupLargerThanTheMemoryBoundIsSortedThroughSpilledRuns() {
        Table table = table("spilled", Warehouse.BY_KIND, Map.of("snowpack.rewrite_strategy", "zorder",
                "snowpack.zorder_columns", "note"), true);
        TableSettings settings = TableSettings.resolve(table.properties(), SnowpackConfig.defaults());
        List<RewriteFileGroup> groups = DataFileCompaction.plan(table, table.currentSnapshot(), settings);
        RewriteFileGroup group = groups.get(0);
        ActionRequest request = new ActionRequest(JobId.random(), TableId.of("db", "spilled"),
                MaintenanceAction.REWRITE_DATA_FILES, 1, 1);
        RowOrder order = RowOrder.of(table, settings);
        Verification verification = new Verification(RewriteFaults.NONE,
                new VerificationMetrics(new SimpleMeterRegistry()));

        new DataGroupRewrite(table, group, request, verification, order, 7).run();

        long written = 0;
        for (DataFile file : group.addedFiles()) {
            List<String> notes = rows(table, file).stream().map(r -> (String) r.getField("note")).toList();
            List<byte[]> zValues = notes.stream().map(note -> ZOrderByteUtils.stringToOrderedBytes(note, 8,
                    ByteBuffer.allocate(8), StandardCharsets.UTF_8.newEncoder()).array()).toList();
            assertThat(zValues).isSortedAccordingTo(Comparators.unsignedByteArrays());
            written += notes.size();
        }
        assertThat(written).isEqualTo(group.rewrittenFiles().stream().mapToLong(DataFile::recordCount).sum());
    }

    @Test
    void sortedRunsMergeSpilledRunsAndTheRowsStillInMemory() {
        Table table = warehouse.create("runs", PartitionSpec.unpartitioned(), Map.of());
        Schema schema = table.schema();
        Random random = new Random(42);
        List<Long> ids = new ArrayList<>();
        Comparator<Record> byId = Comparator.comparing(r -> (Long) r.getField("id"));
        List<Long> sorted = new ArrayList<>();
        try (SortedRuns runs = new SortedRuns(table, schema, byId, 10)) {
            for (int i = 0; i < 95; i++) {
                long id = random.nextInt(1000);
                ids.add(id);
                GenericRecord row = GenericRecord.create(schema);
                row.setField("id", id);
                row.setField("kind", "k" + (id % 3));
                row.setField("note", i % 5 == 0 ? null : "n" + id);
                runs.add(row);
            }
            assertThat(runs.spilledRuns()).isEqualTo(9);
            try (CloseableIterable<Record> rows = runs.sorted()) {
                rows.forEach(r -> sorted.add((Long) r.getField("id")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(sorted).isEqualTo(ids.stream().sorted().toList());
    }

    private static List<Long> ids(Table table, DataFile file) {
        return rows(table, file).stream().map(r -> (Long) r.getField("id")).toList();
    }

    private static List<Record> rows(Table table, DataFile file) {
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> read = FormatModelRegistry.<Record, Schema>readBuilder(FileFormat.PARQUET,
                Record.class, table.io().newInputFile(file.location())).project(table.schema()).build()) {
            read.forEach(r -> rows.add(r.copy()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private String metadataLocation(String name) {
        return ((HasTableOperations) warehouse.load(name)).operations().current().metadataFileLocation();
    }
}
