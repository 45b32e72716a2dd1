package io.snowpack.iceberg;

import io.snowpack.core.policy.TableProperties;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Accessor;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.ZOrderByteUtils;

/**
 * The z-value of a row over some columns, as Spark's z-order rewrite computes it: each column's value as 8 ordered
 * bytes ({@link ZOrderByteUtils}; strings and binary truncated or zero-filled to 8 bytes, null as 8 zero bytes),
 * their bits interleaved. Rows compare by z-value as unsigned bytes. Supports the types Spark's z-order does:
 * boolean, int, long, float, double, date, time, timestamp, string, binary and fixed. Not thread-safe.
 */
final class ZOrderValue {
    private static final int BYTES = ZOrderByteUtils.PRIMITIVE_BUFFER_SIZE;
    private static final Set<Type.TypeID> SUPPORTED = Set.of(Type.TypeID.BOOLEAN, Type.TypeID.INTEGER,
            Type.TypeID.LONG, Type.TypeID.FLOAT, Type.TypeID.DOUBLE, Type.TypeID.DATE, Type.TypeID.TIME,
            Type.TypeID.TIMESTAMP, Type.TypeID.TIMESTAMP_NANO, Type.TypeID.STRING, Type.TypeID.BINARY,
            Type.TypeID.FIXED);

    private final List<Accessor<StructLike>> accessors = new ArrayList<>();
    private final List<Type.TypeID> types = new ArrayList<>();
    private final InternalRecordWrapper wrapper;
    private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();

    /**
     * The z-value over {@code columns} of {@code schema}.
     *
     * @throws RewriteConfigurationException when there is no column, or one is missing or of an unsupported type
     */
    ZOrderValue(Schema schema, List<String> columns) {
        if (columns.isEmpty()) {
            throw new RewriteConfigurationException("rewrite_data_files: " + TableProperties.REWRITE_STRATEGY
                    + "=zorder needs " + TableProperties.ZORDER_COLUMNS + ", a comma-separated list of columns "
                    + "(e.g. 'event_time, user_id'); it is not set");
        }
        for (String name : columns) {
            Types.NestedField field = schema.findField(name);
            if (field == null) {
                throw new RewriteConfigurationException("rewrite_data_files: " + TableProperties.ZORDER_COLUMNS
                        + "='" + String.join(",", columns) + "' names '" + name + "', which is not a column of the "
                        + "table; expected columns of " + schema.asStruct().fields().stream()
                        .map(Types.NestedField::name).toList());
            }
            if (!SUPPORTED.contains(field.type().typeId())) {
                throw new RewriteConfigurationException("rewrite_data_files: " + TableProperties.ZORDER_COLUMNS
                        + "='" + String.join(",", columns) + "' names '" + name + "', a " + field.type()
                        + " column; z-order takes boolean, int, long, float, double, date, time, timestamp, "
                        + "string, binary or fixed columns");
            }
            accessors.add(schema.accessorForField(field.fieldId()));
            types.add(field.type().typeId());
        }
        this.wrapper = new InternalRecordWrapper(schema.asStruct());
    }

    /** The z-value of {@code row}, a record of the schema. */
    byte[] of(Record row) {
        StructLike internal = wrapper.wrap(row);
        byte[][] columns = new byte[accessors.size()][];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = orderedBytes(types.get(i), accessors.get(i).get(internal));
        }
        return ZOrderByteUtils.interleaveBits(columns, BYTES * columns.length,
                ByteBuffer.allocate(BYTES * columns.length));
    }

    private byte[] orderedBytes(Type.TypeID type, Object value) {
        ByteBuffer buffer = ByteBuffer.allocate(BYTES);
        if (value == null) {
            return buffer.array();
        }
        return switch (type) {
            case BOOLEAN -> ZOrderByteUtils.tinyintToOrderedBytes((byte) ((Boolean) value ? 1 : 0), buffer).array();
            case INTEGER, DATE -> ZOrderByteUtils.intToOrderedBytes((Integer) value, buffer).array();
            case LONG, TIME, TIMESTAMP, TIMESTAMP_NANO ->
                    ZOrderByteUtils.longToOrderedBytes((Long) value, buffer).array();
            case FLOAT -> ZOrderByteUtils.floatToOrderedBytes((Float) value, buffer).array();
            case DOUBLE -> ZOrderByteUtils.doubleToOrderedBytes((Double) value, buffer).array();
            case STRING -> ZOrderByteUtils.stringToOrderedBytes(value.toString(), BYTES, buffer, encoder).array();
            case BINARY, FIXED -> ZOrderByteUtils.byteTruncateOrFill(bytes(value), BYTES, buffer).array();
            default -> throw new IllegalStateException("z-order of a " + type + " column");
        };
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] array) {
            return array;
        }
        ByteBuffer copy = ((ByteBuffer) value).duplicate();
        byte[] array = new byte[copy.remaining()];
        copy.get(array);
        return array;
    }
}
