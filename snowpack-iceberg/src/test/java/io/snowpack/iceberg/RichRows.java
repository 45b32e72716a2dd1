package io.snowpack.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.StructLikeMap;

/**
 * Rows of a schema with every kind of column the audit tried (strings with nulls, both timestamp kinds, decimals,
 * an int that can be widened, a struct, a list and a map), generated deterministically from a row number, and an
 * appender that writes them into the table's current spec, one file per partition.
 */
final class RichRows {
    static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "category", Types.StringType.get()),
            Types.NestedField.optional(3, "ts", Types.TimestampType.withZone()),
            Types.NestedField.optional(4, "ts_local", Types.TimestampType.withoutZone()),
            Types.NestedField.optional(5, "amount", Types.DecimalType.of(10, 2)),
            Types.NestedField.optional(6, "note", Types.StringType.get()),
            Types.NestedField.optional(7, "qty", Types.IntegerType.get()),
            Types.NestedField.optional(8, "attrs", Types.StructType.of(
                    Types.NestedField.optional(11, "a", Types.StringType.get()),
                    Types.NestedField.optional(12, "b", Types.IntegerType.get()))),
            Types.NestedField.optional(9, "tags", Types.ListType.ofOptional(13, Types.StringType.get())),
            Types.NestedField.optional(10, "props", Types.MapType.ofOptional(14, 15, Types.StringType.get(),
                    Types.StringType.get())));
    static final String[] CATEGORIES = {"alpha", "beta", "gamma"};
    private static final OffsetDateTime BASE = OffsetDateTime.of(2026, 3, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private RichRows() {
    }

    /**
     * Row {@code n} of {@code schema}: only the columns the schema has are set, so a table whose schema evolved
     * gets rows of its current shape ({@code remark} is the renamed {@code note}).
     */
    static Record row(Schema schema, long n) {
        GenericRecord row = GenericRecord.create(schema);
        for (Types.NestedField field : schema.columns()) {
            row.setField(field.name(), value(field, n));
        }
        return row;
    }

    private static Object value(Types.NestedField field, long n) {
        return switch (field.name()) {
            case "id" -> n;
            case "category" -> n % 11 == 10 ? null : CATEGORIES[(int) (n % CATEGORIES.length)];
            case "ts" -> n % 13 == 12 ? null : BASE.plusMinutes(97 * n);
            case "ts_local" -> LocalDateTime.of(2026, 1, 1, 0, 0).plusMinutes(53 * n);
            case "amount" -> n % 7 == 6 ? null : BigDecimal.valueOf(n * 125 - 3000, 2);
            case "note", "remark" -> n % 5 == 4 ? null : "note " + n;
            case "qty" -> field.type().typeId() == Type.TypeID.LONG ? (Object) (n * 3) : (Object) (int) (n * 3);
            case "attrs" -> attrs(field, n);
            case "tags" -> n % 6 == 5 ? null : List.of("t" + n % 4, "u" + n % 3);
            case "props" -> props(n);
            case "extra" -> n % 2 == 0 ? "extra " + n : null;
            default -> throw new IllegalArgumentException("no generator for column " + field.name());
        };
    }

    private static Record attrs(Types.NestedField field, long n) {
        if (n % 9 == 8) {
            return null;
        }
        GenericRecord struct = GenericRecord.create(field.type().asStructType());
        struct.setField("a", "a" + n % 5);
        struct.setField("b", (int) n % 17);
        return struct;
    }

    private static Map<String, String> props(long n) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("k" + n % 3, "v" + n);
        if (n % 2 == 0) {
            props.put("even", "yes");
        }
        return props;
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) of the table's current schema. */
    static List<Record> rows(Table table, long from, long to) {
        List<Record> rows = new ArrayList<>();
        for (long n = from; n < to; n++) {
            rows.add(row(table.schema(), n));
        }
        return rows;
    }

    /** Appends {@code rows} in one snapshot, one file per partition of the table's current spec. */
    static List<DataFile> append(Table table, List<Record> rows) {
        PartitionSpec spec = table.spec();
        Schema schema = table.schema();
        StructLikeMap<List<Record>> byPartition = StructLikeMap.create(spec.partitionType());
        PartitionKey key = new PartitionKey(spec, schema);
        InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
        List<Record> unpartitioned = new ArrayList<>();
        for (Record row : rows) {
            if (spec.isUnpartitioned()) {
                unpartitioned.add(row);
                continue;
            }
            key.partition(wrapper.wrap(row));
            byPartition.computeIfAbsent(key.copy(), k -> new ArrayList<>()).add(row);
        }
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET).dataSchema(schema).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PARQUET)
                .build();
        List<DataFile> written = new ArrayList<>();
        if (spec.isUnpartitioned()) {
            written.add(write(writers, out, spec, null, unpartitioned));
        } else {
            byPartition.forEach((partition, partRows) -> written.add(write(writers, out, spec, partition, partRows)));
        }
        AppendFiles append = table.newAppend();
        written.forEach(append::appendFile);
        append.commit();
        return written;
    }

    private static DataFile write(GenericFileWriterFactory writers, OutputFileFactory out, PartitionSpec spec,
            StructLike partition, List<Record> rows) {
        DataWriter<Record> writer = writers.newDataWriter(
                partition == null ? out.newOutputFile() : out.newOutputFile(spec, partition), spec, partition);
        try (writer) {
            rows.forEach(writer::write);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return writer.toDataFile();
    }
}
