package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.StructLikeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every action on every table shape the audit tried, on a FileIO that lists by raw prefix like an object store.
 * Each shape gets appends over at least two specs or schemas where it evolves, position and equality deletes (v2),
 * a tag on the pre-maintenance snapshot and a branch with its own commit, and a sibling table whose name extends
 * this one's. After every action: the full row multiset (read through the name mapping, deletes applied), reads
 * filtered on partition and data columns (planned with pruning, as engines do), time travel to the
 * pre-maintenance snapshot and the branch, and the sibling's files are unchanged. Every rewrite is also read back
 * ({@code snowpack.verify_after_commit=true}).
 */
@Execution(ExecutionMode.CONCURRENT) // shapes are independent: each has its own warehouse and catalog
class TableShapeMatrixTest {
    private static final List<Expression> FILTERS = List.of(
            Expressions.equal("category", "alpha"),
            Expressions.isNull("category"),
            Expressions.greaterThanOrEqual("ts", "2026-03-04T00:00:00+00:00"),
            Expressions.isNull("ts"),
            Expressions.lessThan("id", 50L),
            Expressions.equal("note", "note 7"));

    @TempDir
    Path root;

    /**
     * One table shape: how to create it and how to grow its history; {@code properties} and {@code ordered} (applied
     * right after creation) choose a compaction strategy other than bin-pack.
     */
    record Shape(String name, int formatVersion, PartitionSpec spec, Consumer<Growth> history,
            Map<String, String> properties, Consumer<Table> ordered) {
        Shape(String name, int formatVersion, PartitionSpec spec, Consumer<Growth> history) {
            this(name, formatVersion, spec, history, Map.of(), table -> { });
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> shapes() {
        Schema s = RichRows.SCHEMA;
        PartitionSpec byCategory = PartitionSpec.builderFor(s).identity("category").build();
        List<Shape> shapes = List.of(
                new Shape("identity", 2, byCategory, Growth::twoAppends),
                new Shape("day(ts)", 2, PartitionSpec.builderFor(s).day("ts").build(), Growth::twoAppends),
                new Shape("hour(ts)", 2, PartitionSpec.builderFor(s).hour("ts").build(), Growth::twoAppends),
                new Shape("month(ts_local)", 2, PartitionSpec.builderFor(s).month("ts_local").build(),
                        Growth::twoAppends),
                new Shape("bucket(4, id)", 2, PartitionSpec.builderFor(s).bucket("id", 4).build(),
                        Growth::twoAppends),
                new Shape("truncate(3, category)", 2, PartitionSpec.builderFor(s).truncate("category", 3).build(),
                        Growth::twoAppends),
                new Shape("unpartitioned", 2, PartitionSpec.unpartitioned(), Growth::twoAppends),
                new Shape("v1 identity", 1, byCategory, Growth::twoAppends),
                new Shape("unpartitioned -> identity", 2, PartitionSpec.unpartitioned(),
                        g -> g.evolveSpec(u -> u.addField("category"))),
                new Shape("identity -> + day(ts)", 2, byCategory,
                        g -> g.evolveSpec(u -> u.addField(Expressions.day("ts")))),
                new Shape("(identity, day) -> drop day, add hour", 2,
                        PartitionSpec.builderFor(s).identity("category").day("ts").build(),
                        g -> g.evolveSpec(u -> u.removeField("ts_day").addField(Expressions.hour("ts")))),
                new Shape("identity -> bucket (replace)", 2, byCategory,
                        g -> g.evolveSpec(u -> u.removeField("category").addField(Expressions.bucket("category", 4)))),
                new Shape("identity -> unpartitioned", 2, byCategory,
                        g -> g.evolveSpec(u -> u.removeField("category"))),
                new Shape("schema: add, rename, drop, widen", 2, byCategory, Growth::evolveSchema),
                new Shape("name-mapped files without field ids", 2, PartitionSpec.unpartitioned(),
                        Growth::legacyFiles),
                new Shape("sort (category, day(ts) desc, id desc): identity -> + day(ts)", 2, byCategory,
                        g -> g.evolveSpec(u -> u.addField(Expressions.day("ts"))), Map.of(),
                        table -> table.replaceSortOrder().asc("category", NullOrder.NULLS_FIRST)
                                .desc(Expressions.day("ts")).desc("id").commit()),
                new Shape("zorder (ts, qty, note): unpartitioned -> identity", 2, PartitionSpec.unpartitioned(),
                        g -> g.evolveSpec(u -> u.addField("category")), Map.of("snowpack.rewrite_strategy", "zorder",
                        "snowpack.zorder_columns", "ts, qty, note"), table -> { }),
                new Shape("v3 identity: deletion vectors, row lineage", 3, byCategory, Growth::twoAppends),
                new Shape("v3 unpartitioned -> identity", 3, PartitionSpec.unpartitioned(),
                        g -> g.evolveSpec(u -> u.addField("category"))),
                new Shape("v2 -> v3 upgrade with position-delete files", 2, byCategory, Growth::upgradeToV3));
        return shapes.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void everyActionKeepsEveryRowOfEveryShape(Shape shape) throws IOException {
        try (Warehouse warehouse = new Warehouse(root, RawPrefixFileIO.class.getName())) {
            Growth growth = new Growth(warehouse, root, shape);
            shape.history().accept(growth);
            Table table = warehouse.load(growth.name);
            long pre = table.currentSnapshot().snapshotId();
            table.manageSnapshots().createTag("pre_maintenance", pre).commit();
            growth.branchWithItsOwnCommit();
            Expected expected = Expected.of(warehouse.load(growth.name), pre);
            long siblingFiles = DataSafetyRegressionTest.filesUnder(root.resolve("db/" + growth.name + "_backup"));
            IcebergMaintenanceExecutor executor = IcebergMaintenanceExecutor.builder(warehouse.catalog)
                    .orphanAgeOverrideForTests(Duration.ZERO).build();
            Map<String, ActionResult> results = new LinkedHashMap<>();

            for (MaintenanceAction action : List.of(MaintenanceAction.REWRITE_DATA_FILES,
                    MaintenanceAction.REWRITE_POSITION_DELETE_FILES, MaintenanceAction.REWRITE_MANIFESTS,
                    MaintenanceAction.REMOVE_ORPHAN_FILES)) {
                results.put(action.wireName(), executor.execute(growth.request(action), Checkpoint.none()));
                expected.assertHeldBy(warehouse.load(growth.name), action.wireName());
            }
            IcebergMaintenanceExecutor later = IcebergMaintenanceExecutor.builder(warehouse.catalog)
                    .orphanAgeOverrideForTests(Duration.ZERO)
                    .clock(Clock.offset(Clock.system(ZoneOffset.UTC), Duration.ofDays(30))).build();
            results.put("expire_snapshots", later.execute(growth.request(MaintenanceAction.EXPIRE_SNAPSHOTS),
                    Checkpoint.none()));
            expected.assertHeldBy(warehouse.load(growth.name), "expire_snapshots");
            later.execute(growth.request(MaintenanceAction.REMOVE_ORPHAN_FILES), Checkpoint.none());
            expected.assertHeldBy(warehouse.load(growth.name), "remove_orphan_files after expiry");

            assertThat(results.get("rewrite_data_files").metrics().get("files_in")).as("compaction ran")
                    .isPositive();
            assertThat(results.get("rewrite_data_files").message()).as("the strategy that ran")
                    .contains(shape.name().startsWith("sort")
                            ? "(sort by [category ASC NULLS FIRST, day(ts) DESC NULLS LAST, id DESC NULLS LAST])"
                            : shape.name().startsWith("zorder") ? "(zorder by [ts, qty, note])" : "(binpack)");
            assertThat(results.get("expire_snapshots").metrics().get("snapshots_expired")).as("expiry ran")
                    .isPositive();
            assertThat(DataSafetyRegressionTest.filesUnder(root.resolve("db/" + growth.name + "_backup")))
                    .as("the sibling table's files").isEqualTo(siblingFiles);
            assertThat(TableOracle.rows(warehouse.load(growth.name + "_backup"))).hasSize(growth.siblingRows);
        }
    }

    /** What must stay true of the table after every action. */
    private record Expected(long preMaintenance, long branchHead, List<String> rows, List<String> atBranch,
            Map<Expression, List<String>> filtered) {
        static Expected of(Table table, long pre) {
            Map<Expression, List<String>> filtered = new HashMap<>();
            for (Expression filter : FILTERS) {
                if (applies(table.schema(), filter)) {
                    filtered.put(filter, TableOracle.rowsWhere(table, filter));
                }
            }
            long branch = table.refs().get("audit").snapshotId();
            List<String> rows = TableOracle.rows(table);
            assertThat(TableOracle.rowsAt(table, pre)).as("the tag reads the current rows").isEqualTo(rows);
            return new Expected(pre, branch, rows, TableOracle.rowsAt(table, branch), filtered);
        }

        void assertHeldBy(Table table, String after) {
            assertThat(TableOracle.rows(table)).as("rows after %s", after).isEqualTo(rows);
            filtered.forEach((filter, expectedRows) -> assertThat(TableOracle.rowsWhere(table, filter))
                    .as("rows where %s after %s", filter, after).isEqualTo(expectedRows));
            assertThat(TableOracle.rowsAt(table, table.refs().get("pre_maintenance").snapshotId()))
                    .as("time travel to the pre-maintenance tag after %s", after).isEqualTo(rows);
            assertThat(TableOracle.rowsAt(table, table.refs().get("audit").snapshotId()))
                    .as("the branch after %s", after).isEqualTo(atBranch);
        }

        private static boolean applies(Schema schema, Expression filter) {
            String text = filter.toString();
            return schema.columns().stream().anyMatch(c -> text.contains("ref(name=\"" + c.name() + "\")"));
        }
    }

    /** Grows one shape's table: appends, deletes, spec and schema changes, and a sibling table. */
    static final class Growth {
        final Warehouse warehouse;
        final Path root;
        final String name;
        final int siblingRows = 12;
        private long next;

        Growth(Warehouse warehouse, Path root, Shape shape) {
            this.warehouse = warehouse;
            this.root = root;
            this.name = "t_" + shape.name().replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
            Map<String, String> properties = Map.of(TableProperties.FORMAT_VERSION,
                    Integer.toString(shape.formatVersion()), "snowpack.min_input_files", "2",
                    "snowpack.delete_file_threshold", "2", "snowpack.min_snapshots_to_keep", "1",
                    "snowpack.verify_after_commit", "true", "commit.manifest-merge.enabled", "false");
            Schema schema = shape.name().startsWith("name-mapped") ? LegacyParquet.SCHEMA : RichRows.SCHEMA;
            Map<String, String> all = new HashMap<>(properties);
            all.putAll(shape.properties());
            if (schema == LegacyParquet.SCHEMA) {
                all.put(TableProperties.DEFAULT_NAME_MAPPING, LegacyParquet.nameMapping());
            }
            warehouse.create(name, schema, shape.spec(), all);
            shape.ordered().accept(warehouse.load(name));
            warehouse.create(name + "_backup", RichRows.SCHEMA, PartitionSpec.unpartitioned(), Map.of());
            RichRows.append(warehouse.load(name + "_backup"),
                    RichRows.rows(warehouse.load(name + "_backup"), 0, siblingRows));
        }

        Table table() {
            return warehouse.load(name);
        }

        boolean v2() {
            return ((org.apache.iceberg.HasTableOperations) table()).operations().current().formatVersion() >= 2;
        }

        /** Appends {@code count} rows of the current schema in one snapshot. */
        List<DataFile> append(int count) {
            List<DataFile> files = RichRows.append(table(), RichRows.rows(table(), next, next + count));
            next += count;
            return files;
        }

        void twoAppends() {
            append(40);
            append(40);
            append(40);
            deletes();
        }

        /**
         * A v2 history with position-delete files, upgraded to v3, then deletion vectors: one merging a file's
         * position deletes (as Iceberg's writers do), one on a file written after the upgrade.
         */
        void upgradeToV3() {
            append(40);
            append(40);
            append(40);
            deletes();
            table().updateProperties().set(TableProperties.FORMAT_VERSION, "3").commit();
            append(40);
            List<DataFile> files = Warehouse.liveDataFiles(table());
            warehouse.deletePositions(table(), files.get(0), 5);
            warehouse.deletePositions(table(), files.get(files.size() - 1), 0, 3);
            equalityDelete(next - 2);
        }

        void evolveSpec(Consumer<org.apache.iceberg.UpdatePartitionSpec> change) {
            append(40);
            append(40);
            deletes();
            org.apache.iceberg.UpdatePartitionSpec update = table().updateSpec();
            change.accept(update);
            update.commit();
            append(40);
            append(40);
            deletes();
        }

        void evolveSchema() {
            append(40);
            append(40);
            deletes();
            table().updateSchema().addColumn("extra", Types.StringType.get()).renameColumn("note", "remark")
                    .deleteColumn("attrs").updateColumn("qty", Types.LongType.get()).commit();
            append(40);
            append(40);
            deletes();
        }

        void legacyFiles() {
            LegacyParquet.add(table(), root.resolve("legacy-" + name), 3, 30, 0);
            next = 90;
            Table table = table();
            List<Record> rows = new ArrayList<>();
            for (long id = next; id < next + 40; id++) {
                GenericRecord row = GenericRecord.create(table.schema());
                row.setField("id", id);
                row.setField("category", RichRows.CATEGORIES[(int) (id % 3)]);
                row.setField("note", "note " + id);
                rows.add(row);
            }
            RichRows.append(table, rows);
            next += 40;
            deletes();
        }

        /** Position deletes on three data files and (v2) equality deletes on a few ids. */
        void deletes() {
            if (!v2()) {
                return;
            }
            List<DataFile> files = Warehouse.liveDataFiles(table());
            for (int i = 0; i < Math.min(3, files.size()); i++) {
                warehouse.deletePositions(table(), files.get(i), 0, 2 + i);
                warehouse.deletePositions(table(), files.get(i), 1);
            }
            equalityDelete(next - 3, next - 7, next - 11);
        }

        /** One equality-delete file (on {@code id}) per current-spec partition of the given rows. */
        private void equalityDelete(long... ids) {
            Table table = table();
            Schema idOnly = table.schema().select("id");
            PartitionSpec spec = table.spec();
            StructLikeMap<List<Long>> byPartition = StructLikeMap.create(spec.partitionType());
            PartitionKey key = new PartitionKey(spec, table.schema());
            InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
            for (long id : ids) {
                Record row = table.schema().findField("ts") == null ? legacyRow(table, id)
                        : RichRows.row(table.schema(), id);
                key.partition(wrapper.wrap(row));
                byPartition.computeIfAbsent(key.copy(), k -> new ArrayList<>()).add(id);
            }
            GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                    .deleteFileFormat(FileFormat.PARQUET)
                    .equalityFieldIds(new int[] {table.schema().findField("id").fieldId()})
                    .equalityDeleteRowSchema(idOnly).build();
            OutputFileFactory out = OutputFileFactory.builderFor(table, 3, System.nanoTime())
                    .format(FileFormat.PARQUET).build();
            var delta = table.newRowDelta();
            for (Map.Entry<StructLike, List<Long>> entry : byPartition.entrySet()) {
                StructLike partition = spec.isUnpartitioned() ? null : entry.getKey();
                EqualityDeleteWriter<Record> writer = writers.newEqualityDeleteWriter(
                        partition == null ? out.newOutputFile() : out.newOutputFile(spec, partition), spec,
                        partition);
                try (writer) {
                    for (long id : entry.getValue()) {
                        GenericRecord row = GenericRecord.create(idOnly);
                        row.setField("id", id);
                        writer.write(row);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                DeleteFile deletes = writer.toDeleteFile();
                delta.addDeletes(deletes);
            }
            delta.commit();
        }

        private static Record legacyRow(Table table, long id) {
            GenericRecord row = GenericRecord.create(table.schema());
            row.setField("id", id);
            row.setField("category", RichRows.CATEGORIES[(int) (id % 3)]);
            row.setField("note", "note " + id);
            return row;
        }

        /** A branch {@code audit} off the current snapshot with one append of its own. */
        void branchWithItsOwnCommit() {
            Table table = table();
            table.manageSnapshots().createBranch("audit", table.currentSnapshot().snapshotId()).commit();
            List<Record> rows = RichRows.rows(table, 5000, 5010);
            if (table.schema().findField("ts") == null) {
                rows = new ArrayList<>();
                for (long id = 5000; id < 5010; id++) {
                    rows.add(legacyRow(table, id));
                }
            }
            List<DataFile> files = RichRows.append(table, rows);
            // RichRows.append committed to main; move that commit to the branch and main back
            Table reloaded = table();
            long appended = reloaded.currentSnapshot().snapshotId();
            long parent = reloaded.currentSnapshot().parentId();
            reloaded.manageSnapshots().replaceBranch("audit", appended).commit();
            table().manageSnapshots().rollbackTo(parent).commit();
            assertThat(files).isNotEmpty();
        }

        ActionRequest request(MaintenanceAction action) {
            return new ActionRequest(JobId.random(), TableId.of("db", name), action, 1, 1);
        }
    }
}
