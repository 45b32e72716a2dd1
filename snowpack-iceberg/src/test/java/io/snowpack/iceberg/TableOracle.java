package io.snowpack.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PartitionUtil;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The test's own reading of a table, independent of Snowpack's reader: Iceberg's Parquet reader directly, with
 * the table's name mapping ({@code IcebergGenerics} ignores it) and Iceberg's delete filter, dropping the
 * {@code _pos} column the filter adds. Rows come back as canonical strings (maps sorted by key), sorted, so two
 * reads compare as multisets.
 */
final class TableOracle {
    private TableOracle() {
    }

    /** The current rows. */
    static List<String> rows(Table table) {
        return read(table, null, Expressions.alwaysTrue());
    }

    /** The rows at {@code snapshotId} (time travel), read with the schema of that snapshot. */
    static List<String> rowsAt(Table table, long snapshotId) {
        return read(table, snapshotId, Expressions.alwaysTrue());
    }

    /** The current rows matching {@code filter}, planned with it (partition pruning, as engines do). */
    static List<String> rowsWhere(Table table, Expression filter) {
        return read(table, null, filter);
    }

    private static List<String> read(Table table, Long snapshotId, Expression filter) {
        table.refresh();
        Schema schema = snapshotId == null ? table.schema() : SnapshotUtil.schemaFor(table, snapshotId);
        if (TableUtil.formatVersion(table) >= 3) {
            schema = MetadataColumns.schemaWithRowLineage(schema); // a rewrite must keep every row's lineage
        }
        if (snapshotId == null && table.currentSnapshot() == null) {
            return List.of();
        }
        String mappingJson = table.properties().get(TableProperties.DEFAULT_NAME_MAPPING);
        NameMapping mapping = mappingJson == null ? null : NameMappingParser.fromJson(mappingJson);
        TableScan scan = table.newScan().filter(filter);
        if (snapshotId != null) {
            scan = scan.useSnapshot(snapshotId);
        }
        Evaluator matches = new Evaluator(schema.asStruct(), filter, true);
        InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
        List<String> rows = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
            for (FileScanTask task : tasks) {
                GenericDeleteFilter deletes = new GenericDeleteFilter(table.io(), task, schema, schema);
                Schema required = deletes.requiredSchema();
                Map<Integer, ?> constants = PartitionUtil.constantsMap(task,
                        IdentityPartitionConverters::convertConstant);
                Parquet.ReadBuilder builder = Parquet.read(table.io().newInputFile(task.file().location()))
                        .project(required)
                        .split(task.start(), task.length())
                        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(required, fileSchema,
                                constants));
                if (mapping != null) {
                    builder.withNameMapping(mapping);
                }
                try (CloseableIterable<Record> live = deletes.filter(builder.build())) {
                    for (Record row : live) {
                        if (matches.eval(wrapper.wrap(row))) {
                            rows.add(canonical(row, schema.asStruct()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows.sort(null);
        return rows;
    }

    /** {@code row}'s columns of {@code type} only, in order, with maps sorted and buffers in hex. */
    static String canonical(Record row, Types.StructType type) {
        StringBuilder text = new StringBuilder("(");
        for (Types.NestedField field : type.fields()) {
            if (text.length() > 1) {
                text.append(", ");
            }
            text.append(canonicalValue(row.getField(field.name())));
        }
        return text.append(')').toString();
    }

    private static String canonicalValue(Object value) {
        if (value instanceof Record nested) {
            return canonical(nested, nested.struct());
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> canonicalValue(e.getKey()) + "=" + canonicalValue(e.getValue()))
                    .sorted().collect(Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TableOracle::canonicalValue).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof ByteBuffer buffer) {
            StringBuilder hex = new StringBuilder("0x");
            ByteBuffer copy = buffer.duplicate();
            while (copy.hasRemaining()) {
                hex.append(String.format("%02x", copy.get()));
            }
            return hex.toString();
        }
        return String.valueOf(value);
    }
}
