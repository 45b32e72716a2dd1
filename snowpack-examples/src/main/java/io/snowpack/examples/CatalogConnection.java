package io.snowpack.examples;

import io.snowpack.core.BackendException;
import io.snowpack.core.InvalidConfigurationException;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.TableSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An app's Iceberg catalog, connected without holding the app hostage: {@link #start} tries once at once and, while
 * the catalog cannot be reached, keeps trying in the background with capped exponential backoff (doubling from
 * {@link #FIRST_RETRY} up to {@link #MAX_RETRY}) until it answers. Meanwhile the {@link #tableSource()} and
 * {@link #executor()} it hands out answer every call with a {@link BackendException} (HTTP 503, a transient failure
 * for health sync), and {@link #status()} says what is going on, for {@code /readyz}. Once connected, they delegate
 * to the catalog's parts for good.
 *
 * <p>A bad setting ({@link InvalidConfigurationException}, such as no catalog type) is not an outage: {@code start}
 * throws it and nothing is retried. Thread-safe.
 */
public final class CatalogConnection implements AutoCloseable {
    /** Wait before the first retry. */
    public static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    /** Longest wait between two attempts. */
    public static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(CatalogConnection.class);

    private final Supplier<Catalog> connect;
    private final Function<Catalog, IcebergParts> assemble;
    private final Duration maxRetry;
    private final ScheduledExecutorService retries;
    private volatile IcebergParts parts;
    private volatile String status = "not tried yet";
    private int attempts;
    private Instant failingSince;

    private CatalogConnection(Supplier<Catalog> connect, Function<Catalog, IcebergParts> assemble, Duration maxRetry) {
        this.connect = connect;
        this.assemble = assemble;
        this.maxRetry = maxRetry;
        this.retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "snowpack-catalog-connect");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Connects now if the catalog answers, else keeps trying in the background.
     *
     * @param connect  builds and initializes the catalog (it throws while the catalog is unreachable)
     * @param assemble the executor and table source over a connected catalog
     * @throws InvalidConfigurationException when {@code connect} reports a bad setting
     */
    public static CatalogConnection start(Supplier<Catalog> connect, Function<Catalog, IcebergParts> assemble) {
        return start(connect, assemble, FIRST_RETRY, MAX_RETRY);
    }

    static CatalogConnection start(Supplier<Catalog> connect, Function<Catalog, IcebergParts> assemble,
            Duration firstRetry, Duration maxRetry) {
        CatalogConnection connection = new CatalogConnection(Objects.requireNonNull(connect, "connect"),
                Objects.requireNonNull(assemble, "assemble"), maxRetry);
        if (!connection.attempt()) {
            connection.retryAfter(firstRetry);
        }
        return connection;
    }

    /** The connected catalog's parts; empty until it has answered once. */
    public Optional<IcebergParts> parts() {
        return Optional.ofNullable(parts);
    }

    /** One sentence for {@code /readyz}: connected, or since when and why not and when the next attempt is. */
    public String status() {
        return status;
    }

    /** A table source that delegates once connected, and answers 503 until then. */
    public TableSource tableSource() {
        return new TableSource() {
            @Override
            public List<String> databases() {
                return connected().tableSource().databases();
            }

            @Override
            public List<TableId> tables(String database) {
                return connected().tableSource().tables(database);
            }

            @Override
            public TableHealth health(TableId table) {
                return connected().tableSource().health(table);
            }
        };
    }

    /** An executor that delegates once connected, and answers 503 until then. */
    public MaintenanceExecutor executor() {
        return new MaintenanceExecutor() {
            @Override
            public ActionResult execute(ActionRequest request, Checkpoint checkpoint) {
                return connected().executor().execute(request, checkpoint);
            }

            @Override
            public ActionResult preview(TableId table, MaintenanceAction action) {
                return connected().executor().preview(table, action);
            }

            @Override
            public Optional<ActionResult> committedBy(ActionRequest request) {
                IcebergParts current = parts;
                return current == null ? Optional.empty() : current.executor().committedBy(request);
            }
        };
    }

    private IcebergParts connected() {
        IcebergParts current = parts;
        if (current == null) {
            throw new BackendException("The catalog is not connected yet: " + status, null);
        }
        return current;
    }

    /** One attempt; {@code true} when connected. */
    private synchronized boolean attempt() {
        attempts++;
        try {
            parts = assemble.apply(connect.get());
            status = "connected" + (attempts > 1 ? " (after " + attempts + " attempts)" : "");
            LOG.info("Connected to the catalog{}", attempts > 1 ? " after " + attempts + " attempts" : "");
            return true;
        } catch (InvalidConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            if (failingSince == null) {
                failingSince = Instant.now();
            }
            status = "unavailable since " + failingSince + " (" + attempts + " attempts): " + describe(e);
            return false;
        }
    }

    /** The failure and its root cause, which is usually the telling part (connection refused, unknown host). */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e + " (caused by " + root + ")";
    }

    private void retryAfter(Duration wait) {
        status = status + "; next attempt in " + wait.toMillis() + " ms";
        LOG.warn("The catalog cannot be reached; the API serves without it and retries in {} ms: {}", wait.toMillis(),
                status);
        try {
            retries.schedule(() -> {
                try {
                    if (!attempt()) {
                        retryAfter(min(wait.multipliedBy(2), maxRetry));
                    }
                } catch (Throwable e) {
                    LOG.error("Connecting to the catalog failed for good: {}", e.toString(), e);
                    status = "not connecting: " + e;
                }
            }, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            LOG.debug("Catalog connection closed; no more attempts");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops retrying. The connected catalog, if any, is left to the process's end. */
    @Override
    public void close() {
        retries.shutdownNow();
    }
}
