package io.snowpack.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Whether a written data file holds its rows in an order: the file is read back and each row compared with the one
 * before it; the first row that sorts before its predecessor is named by its position in the file.
 */
final class OrderCheck {
    private OrderCheck() {
    }

    /** The first row of {@code file} out of {@code order}, described, or empty when every row is in order. */
    static Optional<String> problem(Table table, DataFile file, Comparator<Record> order, String orderName) {
        Schema schema = table.schema();
        try (CloseableIterable<Record> rows = FormatModelRegistry.<Record, Schema>readBuilder(file.format(),
                Record.class, table.io().newInputFile(file.location())).project(schema).build()) {
            Record previous = null;
            long position = 0;
            for (Record row : rows) {
                if (previous != null && order.compare(previous, row) > 0) {
                    return Optional.of(file.location() + " is not in " + orderName + " order: the row at position "
                            + position + " (" + row + ") sorts before the one at position " + (position - 1)
                            + " (" + previous + ")");
                }
                previous = row.copy();
                position++;
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + file.location() + " back failed", e);
        }
    }
}
