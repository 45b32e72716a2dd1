package io.snowpack.iceberg;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.Record;

/**
 * An order-independent digest of a multiset of rows: the count and two sums of a 64-bit hash of each row's
 * values (nested structs, lists and maps included; map entries order-independent). Two reads of the same rows
 * in any order give equal digests; a dropped, duplicated or changed row changes it.
 */
final class RowDigest {
    private long rows;
    private long sum;
    private long mixedSum;

    void add(Record row) {
        long hash = hash(row);
        rows++;
        sum += hash;
        mixedSum += mix(hash ^ 0x9E3779B97F4A7C15L);
    }

    long rows() {
        return rows;
    }

    boolean sameAs(RowDigest other) {
        return rows == other.rows && sum == other.sum && mixedSum == other.mixedSum;
    }

    @Override
    public String toString() {
        return rows + " rows, checksum " + Long.toHexString(sum ^ mixedSum);
    }

    private static long hash(Object value) {
        if (value == null) {
            return 0x5bd1e995L;
        }
        if (value instanceof StructLike struct) {
            long h = 17;
            for (int i = 0; i < struct.size(); i++) {
                h = mix(h * 31 + hash(struct.get(i, Object.class)));
            }
            return h;
        }
        if (value instanceof List<?> list) {
            long h = 19;
            for (Object element : list) {
                h = mix(h * 31 + hash(element));
            }
            return h;
        }
        if (value instanceof Map<?, ?> map) {
            long h = 23;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                h += mix(hash(entry.getKey()) * 31 + hash(entry.getValue()));
            }
            return h;
        }
        if (value instanceof CharSequence text) {
            long h = 29;
            for (int i = 0; i < text.length(); i++) {
                h = h * 1_000_003 + text.charAt(i);
            }
            return mix(h);
        }
        if (value instanceof ByteBuffer buffer) {
            long h = 31;
            ByteBuffer copy = buffer.duplicate();
            while (copy.hasRemaining()) {
                h = h * 1_000_003 + copy.get();
            }
            return mix(h);
        }
        return mix(value.hashCode() * 0x100000001B3L + value.getClass().getName().hashCode());
    }

    /** The 64-bit finaliser of MurmurHash3. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93e53e9ffafL;
        h ^= h >>> 33;
        return h;
    }
}
