package io.snowpack.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.snowpack.core.InvalidConfigurationException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.http.HttpSettings;
import io.snowpack.http.SnowpackHttpServer;
import io.snowpack.jdbc.SnowpackSchema;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the deployment apps read from {@code SNOWPACK_*} environment variables: the Snowpack configuration
 * ({@link SnowpackConfig#fromEnvironment}), the API's {@link HttpSettings}, the PostgreSQL connection, the schema,
 * the worker's mode and slots, and the Iceberg catalog.
 *
 * <p>Catalog properties are passed through to Iceberg's {@link CatalogUtil#buildIcebergCatalog}: every
 * {@code SNOWPACK_CATALOG_<KEY>} becomes property {@code <key>}, lower-cased, in Iceberg's own convention (that of
 * its REST fixture image's {@code CATALOG_*} variables): {@code __} is read as {@code -}, then {@code _} as
 * {@code .}. So {@code SNOWPACK_CATALOG_TYPE=rest}, {@code SNOWPACK_CATALOG_URI=…},
 * {@code SNOWPACK_CATALOG_WAREHOUSE=…}, {@code SNOWPACK_CATALOG_IO__IMPL=…} ({@code io-impl}),
 * {@code SNOWPACK_CATALOG_S3_ENDPOINT=…} ({@code s3.endpoint}) and {@code SNOWPACK_CATALOG_S3_PATH__STYLE__ACCESS}
 * ({@code s3.path-style-access}). {@code SNOWPACK_CATALOG_NAME} names the catalog (default {@code snowpack}) and is
 * not passed as a property. The deprecated spelling ({@code __} as {@code .}, {@code _} as {@code -}) still works
 * with a warning; {@link CatalogVariables} states how the two are told apart ({@code SNOWPACK_CATALOG_NAMING}).
 *
 * <p>Connections are pooled by HikariCP, sized for the process's role ({@link #poolSize}) and named
 * {@code ApplicationName=snowpack-<role>} on PostgreSQL, so {@code pg_stat_activity} shows who holds them.
 */
public final class AppEnvironment {
    static final String DATABASE_URL = "SNOWPACK_DATABASE_URL";
    static final String DATABASE_USER = "SNOWPACK_DATABASE_USER";
    static final String DATABASE_PASSWORD = "SNOWPACK_DATABASE_PASSWORD";
    static final String DATABASE_POOL_SIZE = "SNOWPACK_DATABASE_POOL_SIZE";
    static final String SCHEMA = "SNOWPACK_SCHEMA";
    static final String WORKER_MODE = "SNOWPACK_WORKER_MODE";
    static final String WORKER_SLOTS = "SNOWPACK_WORKER_SLOTS";
    static final String WORKER_PREFETCH = "SNOWPACK_WORKER_PREFETCH";
    static final String METRICS_PORT = "SNOWPACK_METRICS_PORT";
    static final String OTLP_ENDPOINT = "SNOWPACK_OTLP_ENDPOINT";
    static final String OTLP_STEP = "SNOWPACK_OTLP_STEP";
    static final String CATALOG_PREFIX = CatalogVariables.PREFIX;
    static final String CATALOG_NAME = CatalogVariables.NAME;
    static final String CATALOG_NAMING = CatalogVariables.NAMING;

    /** Request threads of the API's HTTP server. */
    static final int API_HTTP_THREADS = SnowpackHttpServer.THREADS;
    /**
     * Connections the API process uses at most: one per HTTP request thread ({@value #API_HTTP_THREADS}), the
     * {@code /readyz} probe, the scheduler lease's renewal, the sweeper, the orchestrator and health sync's writes
     * (its threads read the catalog and hold a connection only to write a row).
     */
    static final int API_POOL_SIZE = API_HTTP_THREADS + 5;

    private static final Logger LOG = LoggerFactory.getLogger(AppEnvironment.class);

    /** What a process does, which sizes its pool and names its connections. */
    public enum AppRole {
        /** The API process ({@link ApiApp}): REST API and scheduler roles. */
        API,
        /** A worker process ({@link WorkerApp}). */
        WORKER;

        /** {@code snowpack-api} or {@code snowpack-worker}: the connections' {@code ApplicationName}. */
        public String applicationName() {
            return "snowpack-" + name().toLowerCase(Locale.ROOT);
        }
    }

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
    private final CatalogVariables catalogVariables;

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
        workerPrefetch();
        positiveInt(DATABASE_POOL_SIZE, 1); // a worker's minimum is checked when its pool is made
        metricsPort();
        otlpEndpoint();
        otlpStep();
        LogFormat.fromEnvironment(this.environment);
        this.catalogVariables = CatalogVariables.read(this.environment);
        catalogVariables.warnings().forEach(warning -> LOG.warn("{}", warning));
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
     * {@code SNOWPACK_WORKER_PREFETCH}: jobs a pool worker claims beyond its free slots, default 0 (for workers of
     * many short jobs; see {@code Worker.Builder#prefetch}).
     */
    public int workerPrefetch() {
        return wholeNumber(WORKER_PREFETCH, 0, 0);
    }

    /**
     * {@code SNOWPACK_METRICS_PORT}: the port a worker process serves {@code /metrics} (Prometheus text) and
     * {@code /healthz} on, on {@code SNOWPACK_HTTP_HOST}'s address; {@code 0} picks a free port (logged); unset, the
     * worker serves none (it can still push OTLP). The API process serves {@code /metrics} on its API port.
     */
    public Optional<Integer> metricsPort() {
        if (value(METRICS_PORT).isEmpty()) {
            return Optional.empty();
        }
        int port = wholeNumber(METRICS_PORT, 0, 0);
        if (port > 65_535) {
            throw new InvalidConfigurationException(METRICS_PORT, "Invalid " + METRICS_PORT + " '" + port
                    + "': expected a port number from 0 to 65535");
        }
        return Optional.of(port);
    }

    /**
     * {@code SNOWPACK_OTLP_ENDPOINT}: when set, the process also pushes its meters to this OTLP/HTTP metrics
     * endpoint (e.g. {@code http://otel-collector:4318/v1/metrics}) every {@link #otlpStep()}.
     */
    public Optional<URI> otlpEndpoint() {
        Optional<String> raw = value(OTLP_ENDPOINT);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(raw.get());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new InvalidConfigurationException(OTLP_ENDPOINT, "Invalid " + OTLP_ENDPOINT + " '" + raw.get()
                + "': expected an http:// or https:// URL, e.g. http://otel-collector:4318/v1/metrics");
    }

    /** {@code SNOWPACK_OTLP_STEP}: seconds between two OTLP pushes, default 60. */
    public Duration otlpStep() {
        return Duration.ofSeconds(positiveInt(OTLP_STEP, 60));
    }

    /** {@code SNOWPACK_LOG_FORMAT}: {@code text} (default) or {@code json}; see {@link LogFormat}. */
    public LogFormat logFormat() {
        return LogFormat.fromEnvironment(environment);
    }

    /**
     * Connections the pool of a {@code role} process holds: {@code SNOWPACK_DATABASE_POOL_SIZE} when set, else
     * <ul>
     * <li>API: {@value #API_POOL_SIZE} ({@link #API_POOL_SIZE});</li>
     * <li>worker, {@code pool} mode: {@code SNOWPACK_WORKER_SLOTS} (one per running job) + 1 (the settle of the jobs
     * that ended, beside the running ones) + 1 (the claim loop) + 1 (heartbeats) + 1 (the PostgreSQL {@code LISTEN}
     * connection, held for good) + 1 (margin), so 7 with 2 slots;</li>
     * <li>worker, {@code once} mode: 1 job + 1 claim + 1 heartbeats + 1 margin = 4 (no {@code LISTEN}).</li>
     * </ul>
     *
     * @throws InvalidConfigurationException naming the value when it is not a whole number, or below 2 for a
     *                                       {@code pool} worker (its {@code LISTEN} connection would starve the rest)
     */
    public int poolSize(AppRole role) {
        int fallback = switch (role) {
            case API -> API_POOL_SIZE;
            case WORKER -> workerMode() == WorkerMode.POOL ? workerSlots() + 5 : 4;
        };
        int size = positiveInt(DATABASE_POOL_SIZE, fallback);
        if (role == AppRole.WORKER && workerMode() == WorkerMode.POOL && size < 2) {
            throw new InvalidConfigurationException(DATABASE_POOL_SIZE, "Invalid " + DATABASE_POOL_SIZE + " '"
                    + size + "': a pool-mode worker needs at least 2 connections (one is held for LISTEN); "
                    + "the default for " + workerSlots() + " slots is " + fallback);
        }
        return size;
    }

    /**
     * A pool over {@code SNOWPACK_DATABASE_URL} (required), {@code SNOWPACK_DATABASE_USER} and
     * {@code SNOWPACK_DATABASE_PASSWORD}, of {@link #poolSize} connections, named {@code snowpack-<role>}: the pool,
     * and on PostgreSQL every connection's {@code ApplicationName} (an {@code ApplicationName} in the URL wins).
     */
    public HikariDataSource dataSource(AppRole role) {
        return dataSource(role, null);
    }

    /**
     * {@link #dataSource(AppRole)}, its pool recorded in {@code registry} when there is one ({@code hikaricp.*}:
     * connections active, idle, pending, acquire and usage times, timeouts).
     */
    public HikariDataSource dataSource(AppRole role, MeterRegistry registry) {
        HikariConfig hikari = new HikariConfig();
        if (registry != null) {
            hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
        String url = value(DATABASE_URL).orElseThrow(() -> new InvalidConfigurationException(DATABASE_URL,
                DATABASE_URL + " is required, e.g. jdbc:postgresql://postgres:5432/snowpack"));
        hikari.setJdbcUrl(url);
        value(DATABASE_USER).ifPresent(hikari::setUsername);
        value(DATABASE_PASSWORD).ifPresent(hikari::setPassword);
        int size = poolSize(role);
        hikari.setMaximumPoolSize(size);
        hikari.setPoolName(role.applicationName());
        if (url.startsWith("jdbc:postgresql:")) {
            hikari.addDataSourceProperty("ApplicationName", role.applicationName());
        }
        // Start even while the database is down (a process may come up before it, or during a restart): the
        // pool connects when first asked, and callers retry.
        hikari.setInitializationFailTimeout(-1);
        LOG.info("{} connection pool: {} connections{}", role.applicationName(), size,
                value(DATABASE_POOL_SIZE).isPresent() ? " (" + DATABASE_POOL_SIZE + ")" : " (sized for the role)");
        return new HikariDataSource(hikari);
    }

    /**
     * The {@code SNOWPACK_CATALOG_*} properties, as Iceberg property names ({@link CatalogVariables}: Iceberg's
     * spelling, or the deprecated one with a warning).
     */
    public Map<String, String> catalogProperties() {
        return catalogVariables.properties();
    }

    /** The warnings about deprecated or ambiguous {@code SNOWPACK_CATALOG_*} names, logged at construction. */
    List<String> catalogWarnings() {
        return catalogVariables.warnings();
    }

    /** {@code SNOWPACK_CATALOG_NAME}, default {@code snowpack}. */
    public String catalogName() {
        return value(CATALOG_NAME).orElse("snowpack");
    }

    /**
     * The Iceberg catalog the {@code SNOWPACK_CATALOG_*} variables describe.
     *
     * @throws InvalidConfigurationException when neither {@code SNOWPACK_CATALOG_TYPE} nor
     *                                       {@code SNOWPACK_CATALOG_CATALOG__IMPL} is set
     */
    public Catalog catalog() {
        Map<String, String> properties = catalogProperties();
        if (!properties.containsKey(CatalogUtil.ICEBERG_CATALOG_TYPE) && !properties.containsKey("catalog-impl")) {
            throw new InvalidConfigurationException(CATALOG_PREFIX + "TYPE", "Set " + CATALOG_PREFIX
                    + "TYPE (rest, jdbc, glue, hive, hadoop, nessie) or " + CATALOG_PREFIX + "CATALOG__IMPL (catalog-impl)");
        }
        return CatalogUtil.buildIcebergCatalog(catalogName(), properties,
                new Configuration());
    }

    private Optional<String> value(String name) {
        return Optional.ofNullable(environment.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private int positiveInt(String name, int fallback) {
        return wholeNumber(name, 1, fallback);
    }

    private int wholeNumber(String name, int minimum, int fallback) {
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(raw.get());
            if (parsed >= minimum) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidConfigurationException(name, "Invalid " + name + " '" + raw.get()
                + "': expected a whole number >= " + minimum);
    }
}
