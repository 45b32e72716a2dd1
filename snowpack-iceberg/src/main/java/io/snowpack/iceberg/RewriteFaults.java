package io.snowpack.iceberg;

import java.util.function.BiConsumer;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.Record;

/**
 * <b>Tests only.</b> Sits between what a rewrite read and what it writes, so a test can make a rewrite drop,
 * duplicate, corrupt or mis-partition rows and delete positions, and prove that verification never lets such a
 * rewrite stay committed. {@link #NONE} (the default) passes everything through unchanged.
 */
interface RewriteFaults {
    RewriteFaults NONE = new RewriteFaults() {
    };

    /** Writes one compacted row; by default {@code row} once, into {@code partition}. */
    default void writeRow(Record row, StructLike partition, BiConsumer<Record, StructLike> out) {
        out.accept(row, partition);
    }

    /** Writes one kept delete position; by default once. */
    default void writePosition(String path, long position, BiConsumer<String, Long> out) {
        out.accept(path, position);
    }

    /** The partition a merged position-delete file is written in; by default the data files' own. */
    default StructLike deletePartition(PartitionSpec spec, StructLike partition) {
        return partition;
    }
}
