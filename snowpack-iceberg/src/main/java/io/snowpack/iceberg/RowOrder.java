package io.snowpack.iceberg;

import io.snowpack.core.policy.RewriteStrategy;
import io.snowpack.core.policy.TableProperties;
import io.snowpack.core.policy.TableSettings;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortField;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.SortOrderComparators;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Comparators;

/**
 * The order a {@code rewrite_data_files} run writes rows in, resolved from {@code snowpack.rewrite_strategy} and the
 * table: {@code binpack} keeps the read order; {@code sort} uses the table's sort order (Iceberg's
 * {@link SortOrderComparators}, transforms and null order included); {@code zorder} the z-value of
 * {@code snowpack.zorder_columns} ({@link ZOrderValue}). Also the sort order output files claim: the table's for
 * {@code sort}, none (unsorted, id 0) otherwise, since bin-pack output is not sorted across its input files and
 * z-order is no Iceberg sort order.
 */
final class RowOrder {
    private final RewriteStrategy strategy;
    private final Table table;
    private final Schema schema;
    private final List<String> zorderColumns;

    private RowOrder(RewriteStrategy strategy, Table table, List<String> zorderColumns) {
        this.strategy = strategy;
        this.table = table;
        this.schema = table.schema();
        this.zorderColumns = zorderColumns;
    }

    /**
     * The order {@code settings} ask for on {@code table}.
     *
     * @throws RewriteConfigurationException when {@code sort} is asked of a table without a sort order, or
     *         {@code zorder} without usable columns
     */
    static RowOrder of(Table table, TableSettings settings) {
        RewriteStrategy strategy = settings.rewriteStrategy().forTable(!table.sortOrder().isUnsorted());
        if (strategy == RewriteStrategy.SORT && table.sortOrder().isUnsorted()) {
            throw new RewriteConfigurationException("rewrite_data_files: " + TableProperties.REWRITE_STRATEGY
                    + "='sort' but the table has no sort order; expected a table with one (ALTER TABLE … WRITE "
                    + "ORDERED BY …), or the binpack or zorder strategy");
        }
        RowOrder order = new RowOrder(strategy, table, settings.zorderColumns());
        if (strategy == RewriteStrategy.ZORDER) {
            new ZOrderValue(table.schema(), settings.zorderColumns());
        }
        return order;
    }

    RewriteStrategy strategy() {
        return strategy;
    }

    /** Whether rows are reordered (sort or z-order) rather than written as read. */
    boolean reordersRows() {
        return strategy != RewriteStrategy.BINPACK;
    }

    /** The sort order output files claim: the table's for {@code sort}, unsorted otherwise. */
    SortOrder claimedSortOrder() {
        return strategy == RewriteStrategy.SORT ? table.sortOrder() : SortOrder.unsorted();
    }

    /**
     * A fresh comparator of records of the table schema in this order (not thread-safe: it reuses its wrappers).
     * Only for {@link #reordersRows()}.
     */
    Comparator<Record> comparator() {
        if (strategy == RewriteStrategy.SORT) {
            Comparator<StructLike> order = SortOrderComparators.forSchema(schema, table.sortOrder());
            InternalRecordWrapper left = new InternalRecordWrapper(schema.asStruct());
            InternalRecordWrapper right = new InternalRecordWrapper(schema.asStruct());
            return (a, b) -> order.compare(left.wrap(a), right.wrap(b));
        }
        if (strategy == RewriteStrategy.ZORDER) {
            ZOrderValue value = new ZOrderValue(schema, zorderColumns);
            Comparator<byte[]> bytes = Comparators.unsignedByteArrays();
            return (a, b) -> bytes.compare(value.of(a), value.of(b));
        }
        throw new IllegalStateException("binpack keeps rows in the order they are read");
    }

    private String describe(SortField field) {
        String column = schema.findColumnName(field.sourceId());
        String key = field.transform().isIdentity() ? column : field.transform() + "(" + column + ")";
        return key + " " + field.direction() + " " + field.nullOrder();
    }

    /** How the rows are ordered, for messages: "binpack", "sort by [id DESC NULLS LAST]", "zorder by [a, b]". */
    String describe() {
        return switch (strategy) {
            case SORT -> "sort by " + table.sortOrder().fields().stream().map(this::describe).toList();
            case ZORDER -> "zorder by " + zorderColumns;
            default -> "binpack";
        };
    }
}
