package io.snowpack.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.snowpack.core.InvalidConfigurationException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.http.HttpSettings;
import io.snowpack.jdbc.SnowpackSchema;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;

/**
 * Everything the deployment apps read from {@code SNOWPACK_*} environment variables: the Snowpack configuration
 * ({@link SnowpackConfig#fromEnvironment}), the API's {@link HttpSettings}, the PostgreSQL connection, the schema,
 * the worker's mode and slots, and the Iceberg catalog.
 *
 * <p>Catalog properties are passed through to Iceberg's {@link CatalogUtil#buildIcebergCatalog}: every
 * {@code SNOWPACK_CATALOG_<KEY>} becomes property {@code <key>}, lower-cased, with {@code __} read as {@code .} and
 * {@code _} as {@code -}. So {@code SNOWPACK_CATALOG_TYPE=rest}, {@code SNOWPACK_CATALOG_URI=…},
 * {@code SNOWPACK_CATALOG_WAREHOUSE=…}, {@code SNOWPACK_CATALOG_IO_IMPL=…} ({@code io-impl}) and
 * {@code SNOWPACK_CATALOG_S3__ENDPOINT=…} ({@code s3.endpoint}). {@code SNOWPACK_CATALOG_NAME} names the catalog
 * (default {@code snowpack}) and is not passed as a property.
 */
public final class AppEnvironment {
    static final String DATABASE_URL = "SNOWPACK_DATABASE_URL";
    static final String DATABASE_USER = "SNOWPACK_DATABASE_USER";
    static final String DATABASE_PASSWORD = "SNOWPACK_DATABASE_PASSWORD";
    static final String DATABASE_POOL_SIZE = "SNOWPACK_DATABASE_POOL_SIZE";
    static final String SCHEMA = "SNOWPACK_SCHEMA";
    static final String WORKER_MODE = "SNOWPACK_WORKER_MODE";
    static final String WORKER_SLOTS = "SNOWPACK_WORKER_SLOTS";
    static final String CATALOG_PREFIX = "SNOWPACK_CATALOG_";
    static final String CATALOG_NAME = "SNOWPACK_CATALOG_NAME";

    /** How a worker process runs. */
    public enum WorkerMode {
        /** Claim jobs until stopped (a Deployment). */
        POOL,
        /** Claim one job, run it, exit with its code; exit 0 at once when there is none (a KEDA ScaledJob). */
        ONCE
    }

    private final Map<String, String> environment;
    private final SnowpackConfig config;
    private final HttpSettings http;

    /**
     * Reads and checks every variable at once (not the catalog's, which Iceberg checks), so a bad one fails the
     * process before it connects to anything.
     *
     * @throws InvalidConfigurationException naming the first bad variable
     */
    public AppEnvironment(Map<String, String> environment) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.config = SnowpackConfig.fromEnvironment(this.environment);
        this.http = HttpSettings.fromEnvironment(this.environment);
        schema();
        workerMode();
        workerSlots();
        positiveInt(DATABASE_POOL_SIZE, 10);
    }

    public static AppEnvironment fromSystem() {
        return new AppEnvironment(System.getenv());
    }

    public SnowpackConfig config() {
        return config;
    }

    public HttpSettings http() {
        return http;
    }

    /** {@code SNOWPACK_SCHEMA}, default {@value SnowpackSchema#DEFAULT_SCHEMA}. */
    public String schema() {
        String schema = value(SCHEMA).orElse(SnowpackSchema.DEFAULT_SCHEMA);
        try {
            return SnowpackSchema.checkSchemaName(schema);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(SCHEMA, e.getMessage());
        }
    }

    /** {@code SNOWPACK_WORKER_MODE}: {@code pool} (default) or {@code once}. */
    public WorkerMode workerMode() {
        String raw = value(WORKER_MODE).orElse("pool");
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "pool" -> WorkerMode.POOL;
            case "once" -> WorkerMode.ONCE;
            default -> throw new InvalidConfigurationException(WORKER_MODE,
                    "Invalid " + WORKER_MODE + " '" + raw + "': expected pool or once");
        };
    }

    /** {@code SNOWPACK_WORKER_SLOTS}: jobs one worker runs at once, default 2. */
    public int workerSlots() {
        return positiveInt(WORKER_SLOTS, 2);
    }

    /**
     * A pool over {@code SNOWPACK_DATABASE_URL} (required), {@code SNOWPACK_DATABASE_USER},
     * {@code SNOWPACK_DATABASE_PASSWORD} and {@code SNOWPACK_DATABASE_POOL_SIZE} (default 10).
     */
    public HikariDataSource dataSource() {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(value(DATABASE_URL).orElseThrow(() -> new InvalidConfigurationException(DATABASE_URL,
                DATABASE_URL + " is required, e.g. jdbc:postgresql://postgres:5432/snowpack")));
        value(DATABASE_USER).ifPresent(hikari::setUsername);
        value(DATABASE_PASSWORD).ifPresent(hikari::setPassword);
        hikari.setMaximumPoolSize(positiveInt(DATABASE_POOL_SIZE, 10));
        hikari.setPoolName("snowpack");
        // Start even while the database is down (a process may come up before it, or during a restart): the
        // pool connects when first asked, and callers retry.
        hikari.setInitializationFailTimeout(-1);
        return new HikariDataSource(hikari);
    }

    /** The {@code SNOWPACK_CATALOG_*} properties, as Iceberg property names. */
    public Map<String, String> catalogProperties() {
        Map<String, String> properties = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(CATALOG_PREFIX) && !name.equals(CATALOG_NAME) && value != null && !value.isBlank()) {
                String key = name.substring(CATALOG_PREFIX.length()).toLowerCase(Locale.ROOT)
                        .replace("__", ".").replace('_', '-');
                properties.put(key, value.trim());
            }
        });
        return properties;
    }

    /**
     * The Iceberg catalog the {@code SNOWPACK_CATALOG_*} variables describe.
     *
     * @throws InvalidConfigurationException when neither {@code SNOWPACK_CATALOG_TYPE} nor
     *                                       {@code SNOWPACK_CATALOG_CATALOG_IMPL} is set
     */
    public Catalog catalog() {
        Map<String, String> properties = catalogProperties();
        if (!properties.containsKey(CatalogUtil.ICEBERG_CATALOG_TYPE) && !properties.containsKey("catalog-impl")) {
            throw new InvalidConfigurationException(CATALOG_PREFIX + "TYPE", "Set " + CATALOG_PREFIX
                    + "TYPE (rest, jdbc, glue, hive, hadoop, nessie) or " + CATALOG_PREFIX + "CATALOG_IMPL");
        }
        return CatalogUtil.buildIcebergCatalog(value(CATALOG_NAME).orElse("snowpack"), properties,
                new Configuration());
    }

    private Optional<String> value(String name) {
        return Optional.ofNullable(environment.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private int positiveInt(String name, int fallback) {
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(raw.get());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidConfigurationException(name, "Invalid " + name + " '" + raw.get()
                + "': expected a whole number >= 1");
    }
}
