package io.snowpack.examples;

import io.snowpack.jdbc.TestDatabases;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code SNOWPACK_*} variables of the deployment apps for tests: the shared embedded PostgreSQL (state in
 * {@code schema}), the demo database synced every second, and a JDBC Iceberg catalog named after the schema over the
 * same server with its warehouse in {@code warehouse}.
 */
public final class DemoAppVariables {
    private DemoAppVariables() {
    }

    /** A mutable map: tests add or override what they need. */
    public static Map<String, String> of(String schema, Path warehouse, String token) {
        Map<String, String> env = new HashMap<>();
        env.put("SNOWPACK_DATABASE_URL", TestDatabases.postgresJdbcUrl());
        env.put("SNOWPACK_DATABASE_USER", "postgres");
        env.put("SNOWPACK_SCHEMA", schema);
        env.put("SNOWPACK_HTTP_PORT", "0");
        env.put("SNOWPACK_API_TOKEN", token);
        env.put("SNOWPACK_HEALTH_SYNC_DATABASES", "demo");
        env.put("SNOWPACK_HEALTH_SYNC_INTERVAL", "1s");
        env.put("SNOWPACK_CATALOG_TYPE", "jdbc");
        env.put("SNOWPACK_CATALOG_URI", TestDatabases.postgresJdbcUrl());
        env.put("SNOWPACK_CATALOG_WAREHOUSE", warehouse.toUri().toString());
        env.put("SNOWPACK_CATALOG_IO__IMPL", "org.apache.iceberg.hadoop.HadoopFileIO");
        env.put("SNOWPACK_CATALOG_JDBC_SCHEMA__VERSION", "V1");
        env.put("SNOWPACK_CATALOG_NAME", schema);
        return env;
    }
}
