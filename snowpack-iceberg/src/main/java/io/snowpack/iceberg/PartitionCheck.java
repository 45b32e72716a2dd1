package io.snowpack.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.MetricsModes;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.transforms.Transform;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * Whether a data file's partition tuple is valid in its spec and consistent with the rows in the file. For
 * order-preserving transforms (identity, year/month/day/hour, truncate) both column bounds must map to the partition
 * value (where a string bound may be truncated, the check is containment, which stays sound); a null partition value
 * needs every source value null. Where the metadata cannot tell (bucket, missing bounds or counts) the file's
 * source columns are read back and every row's partition recomputed.
 */
final class PartitionCheck {
    private PartitionCheck() {
    }

    /** What is wrong with {@code file}'s partition, or empty when it is consistent. */
    static Optional<String> problem(Table table, DataFile file) {
        PartitionSpec spec = table.specs().get(file.specId());
        if (spec == null) {
            return Optional.of(file.location() + " has spec id " + file.specId() + ", which the table does not have");
        }
        if (spec.isUnpartitioned()) {
            return Optional.empty();
        }
        StructLike partition = file.partition();
        Types.StructType type = spec.partitionType();
        if (partition == null || partition.size() != type.fields().size()) {
            return Optional.of(file.location() + " has a partition of " + (partition == null ? 0 : partition.size())
                    + " fields; spec " + spec.specId() + " has " + type.fields().size());
        }
        Schema schema = table.schema();
        boolean readBack = false;
        for (int i = 0; i < spec.fields().size(); i++) {
            PartitionField field = spec.fields().get(i);
            Type resultType = type.fields().get(i).type();
            Object value;
            try {
                value = partition.get(i, resultType.typeId().javaClass());
            } catch (ClassCastException e) {
                return Optional.of(file.location() + ": partition field " + field.name() + " is not a "
                        + resultType);
            }
            Types.NestedField source = schema.findField(field.sourceId());
            if (field.transform().isVoid() || source == null) {
                continue;
            }
            Long nulls = count(file.nullValueCounts(), field.sourceId());
            if (value == null) {
                if (nulls == null) {
                    readBack = true;
                } else if (nulls != file.recordCount()) {
                    return Optional.of(file.location() + " is in partition " + spec.partitionToPath(partition)
                            + " (" + field.name() + "=null) but " + (file.recordCount() - nulls) + " of its "
                            + file.recordCount() + " rows have a " + source.name());
                }
                continue;
            }
            if (nulls != null && nulls > 0) {
                return Optional.of(file.location() + " is in partition " + spec.partitionToPath(partition) + " but "
                        + nulls + " of its rows have no " + source.name());
            }
            ByteBuffer lower = file.lowerBounds() == null ? null : file.lowerBounds().get(field.sourceId());
            ByteBuffer upper = file.upperBounds() == null ? null : file.upperBounds().get(field.sourceId());
            if (!field.transform().preservesOrder() || lower == null || upper == null
                    || !source.type().isPrimitiveType()) {
                readBack = true;
                continue;
            }
            @SuppressWarnings("unchecked")
            Function<Object, Object> transform =
                    ((Transform<Object, Object>) field.transform()).bind(source.type());
            Comparator<Object> order = Comparators.forType(resultType.asPrimitiveType());
            Object lowerValue = Conversions.fromByteBuffer(source.type(), lower);
            Object upperValue = Conversions.fromByteBuffer(source.type(), upper);
            Object low = transform.apply(lowerValue);
            Object high = transform.apply(upperValue);
            boolean exact = exactBounds(table, source, lowerValue, upperValue);
            if (exact ? order.compare(low, value) != 0 || order.compare(value, high) != 0
                    : order.compare(low, value) > 0 || order.compare(value, high) > 0) {
                return Optional.of(file.location() + " is in partition " + spec.partitionToPath(partition)
                        + " but its " + source.name() + " values map to " + field.name() + " from " + low + " to "
                        + high);
            }
        }
        return readBack ? readBack(table, spec, file) : Optional.empty();
    }

    /**
     * Whether the bounds are the column's true minimum and maximum: always for numbers and times; for strings and
     * binary only when shorter than the column's truncation length ({@code write.metadata.metrics.*}), else they
     * may be a truncated prefix and an incremented upper bound, and only containment can be checked.
     */
    private static boolean exactBounds(Table table, Types.NestedField source, Object lower, Object upper) {
        Type.TypeID type = source.type().typeId();
        if (type != Type.TypeID.STRING && type != Type.TypeID.BINARY && type != Type.TypeID.FIXED) {
            return true;
        }
        MetricsModes.MetricsMode mode = MetricsConfig.forTable(table)
                .columnMode(table.schema().findColumnName(source.fieldId()));
        if (mode instanceof MetricsModes.Full) {
            return true;
        }
        if (!(mode instanceof MetricsModes.Truncate truncate)) {
            return false;
        }
        return length(lower) < truncate.length() && length(upper) < truncate.length();
    }

    private static int length(Object bound) {
        if (bound instanceof CharSequence text) {
            return text.toString().codePointCount(0, text.length());
        }
        return bound instanceof ByteBuffer buffer ? buffer.remaining() : Integer.MAX_VALUE;
    }

    private static Long count(Map<Integer, Long> counts, int id) {
        return counts == null ? null : counts.get(id);
    }

    /** Reads the file's partition source columns and recomputes each row's partition. */
    private static Optional<String> readBack(Table table, PartitionSpec spec, DataFile file) {
        List<Integer> sourceIds = new ArrayList<>();
        spec.fields().forEach(f -> sourceIds.add(f.sourceId()));
        Schema projected = TypeUtil.select(table.schema(), new java.util.HashSet<>(sourceIds));
        PartitionKey key = new PartitionKey(spec, projected);
        InternalRecordWrapper wrapper = new InternalRecordWrapper(projected.asStruct());
        Comparator<StructLike> order = Comparators.forType(spec.partitionType());
        long rows = 0;
        try (CloseableIterable<Record> records = FormatModelRegistry.<Record, Schema>readBuilder(file.format(),
                Record.class, table.io().newInputFile(file.location())).project(projected).build()) {
            for (Record record : records) {
                rows++;
                key.partition(wrapper.wrap(record));
                if (order.compare(key, file.partition()) != 0) {
                    return Optional.of(file.location() + " is in partition " + spec.partitionToPath(file.partition())
                            + " but row " + rows + " belongs in " + spec.partitionToPath(key));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rows != file.recordCount()) {
            return Optional.of(file.location() + " claims " + file.recordCount() + " rows but has " + rows);
        }
        return Optional.empty();
    }
}
