package io.snowpack.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.SparkSession;

/**
 * One Spark session in {@code local[2]} for every test of this JVM (starting one takes seconds), with an Iceberg
 * catalog {@code snow} over a JDBC catalog on H2 and a warehouse in a temporary directory; {@link #catalog()} is
 * a second client of the same catalog, the one Snowpack's executors use, as a worker's would be.
 */
final class SharedSpark {
    static final String CATALOG = "snow";
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static SparkSession spark;
    private static Path warehouse;
    private static String uri;

    private SharedSpark() {
    }

    static synchronized SparkSession session() {
        if (spark == null) {
            try {
                warehouse = Files.createTempDirectory("snowpack-spark-warehouse");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // lower-case identifiers: a second catalog client then finds the columns the first created
            uri = "jdbc:h2:mem:snowpack_spark;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
            Map<String, String> environment = new HashMap<>();
            environment.put("SNOWPACK_SPARK_MASTER", "local[2]");
            environment.put("SNOWPACK_SPARK_UI_ENABLED", "false");
            environment.put("SNOWPACK_SPARK_DRIVER_HOST", "127.0.0.1");
            environment.put("SNOWPACK_SPARK_SQL_SHUFFLE_PARTITIONS", "2");
            environment.put("SNOWPACK_SPARK_CONF_1", "spark.driver.bindAddress=127.0.0.1");
            environment.put("SNOWPACK_SPARK_CONF_2", "spark.sql.catalog." + CATALOG
                    + "=org.apache.iceberg.spark.SparkCatalog");
            catalogProperties().forEach((key, value) -> environment.put("SNOWPACK_SPARK_CONF_" + key,
                    "spark.sql.catalog." + CATALOG + "." + key + "=" + value));
            spark = SparkSessions.fromEnvironment(environment);
        }
        return spark;
    }

    private static Map<String, String> catalogProperties() {
        return Map.of("type", "jdbc", CatalogProperties.URI, uri, CatalogProperties.WAREHOUSE_LOCATION,
                warehouse.toUri().toString(), "jdbc.schema-version", "V1", CatalogProperties.CACHE_ENABLED, "false");
    }

    /** A new client of the shared catalog. */
    static Catalog catalog() {
        session();
        JdbcCatalog catalog = new JdbcCatalog();
        Map<String, String> properties = new HashMap<>(catalogProperties());
        properties.remove("type");
        catalog.initialize(CATALOG, properties);
        return catalog;
    }

    /** A namespace no other test uses. */
    static String freshDatabase(String prefix) {
        return prefix + "_" + NAMES.incrementAndGet();
    }
}
