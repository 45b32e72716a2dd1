package io.snowpack.spark;

import java.net.URL;
import java.security.CodeSource;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.actions.SparkActions;

/**
 * {@code iceberg-spark-runtime} bundles every {@code org.apache.iceberg} class under its own name, compiled against
 * the Parquet, Avro and Jackson it shades. When a standalone {@code iceberg-core} comes first on the class path,
 * Spark's actions fail deep inside a task ({@code ClassCastException} between two {@code MessageType}s); this
 * check fails at start instead, saying what to change.
 */
final class ClassPathCheck {
    private ClassPathCheck() {
    }

    static void requireRuntimeIceberg() {
        URL iceberg = location(Table.class);
        URL runtime = location(SparkActions.class);
        if (iceberg == null || runtime == null || !iceberg.equals(runtime)) {
            throw new IllegalStateException("org.apache.iceberg classes are loaded from " + iceberg
                    + ", not from iceberg-spark-runtime (" + runtime + "): put iceberg-spark-runtime before "
                    + "iceberg-core, iceberg-data and iceberg-parquet on the class path, or leave those out "
                    + "(the runtime contains them)");
        }
    }

    private static URL location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }
}
