package io.snowpack.examples;

import io.snowpack.core.ActionFailedException;
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
 * <p>Once connected, the catalog's contents are checked ({@link CatalogContents}: health sync's databases must be
 * namespaces of it) at once and every {@link #RECHECK}: a misconfiguration is a WARN in the log (when found or
 * changed, and every 15 minutes while it lasts) and a {@link #status()} starting {@code misconfigured}, so
 * {@code /readyz} shows it under {@code catalog} instead of a silent "0 tables".
 *
 * <p>A bad setting ({@link InvalidConfigurationException}, such as no catalog type) is not an outage: {@code start}
 * throws it and nothing is retried. Thread-safe.
 */
public final class CatalogConnection implements AutoCloseable {
    /** Wait before the first retry. */
    public static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    /** Longest wait between two attempts. */
    public static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /** Wait between two checks of a connected catalog's contents. */
    public static final Duration RECHECK = Duration.ofMinutes(1);
    /** A misconfiguration that lasts is logged again this often. */
    private static final Duration REWARN = Duration.ofMinutes(15);

    private static final Logger LOG = LoggerFactory.getLogger(CatalogConnection.class);

    private final Supplier<Catalog> connect;
    private final Function<Catalog, IcebergParts> assemble;
    private final Function<Catalog, CatalogContents.Finding> check;
    private final Duration maxRetry;
    private final Duration recheck;
    private final ScheduledExecutorService retries;
    private volatile IcebergParts parts;
    private volatile String status = "not tried yet";
    private int attempts;
    private Instant failingSince;
    private String connected;
    private CatalogContents.Finding lastFinding;
    private Instant lastWarned = Instant.MIN;

    private CatalogConnection(Supplier<Catalog> connect, Function<Catalog, IcebergParts> assemble,
            Function<Catalog, CatalogContents.Finding> check, Duration maxRetry, Duration recheck) {
        this.connect = connect;
        this.assemble = assemble;
        this.check = check;
        this.maxRetry = maxRetry;
        this.recheck = recheck;
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
        return start(connect, assemble, catalog -> new CatalogContents.Finding(CatalogContents.State.OK, ""));
    }

    /**
     * Like {@link #start(Supplier, Function)}, and checks the connected catalog's contents with {@code check}
     * ({@link CatalogContents#of}) at once and every {@link #RECHECK}.
     */
    public static CatalogConnection start(Supplier<Catalog> connect, Function<Catalog, IcebergParts> assemble,
            Function<Catalog, CatalogContents.Finding> check) {
        return start(connect, assemble, check, FIRST_RETRY, MAX_RETRY, RECHECK);
    }

    static CatalogConnection start(Supplier<Catalog> connect, Function<Catalog, IcebergParts> assemble,
            Duration firstRetry, Duration maxRetry) {
        return start(connect, assemble, catalog -> new CatalogContents.Finding(CatalogContents.State.OK, ""),
                firstRetry, maxRetry, RECHECK);
    }

    static CatalogConnection start(Supplier<Catalog> connect, Function<Catalog, IcebergParts> assemble,
            Function<Catalog, CatalogContents.Finding> check, Duration firstRetry, Duration maxRetry,
            Duration recheck) {
        CatalogConnection connection = new CatalogConnection(Objects.requireNonNull(connect, "connect"),
                Objects.requireNonNull(assemble, "assemble"), Objects.requireNonNull(check, "check"), maxRetry,
                recheck);
        if (!connection.attempt()) {
            connection.retryAfter(firstRetry);
        }
        return connection;
    }

    /** The connected catalog's parts; empty until it has answered once. */
    public Optional<IcebergParts> parts() {
        return Optional.ofNullable(parts);
    }

    /**
     * One sentence for {@code /readyz}: {@code connected} (and what the contents check found), {@code misconfigured
     * (connected): …} when health sync's databases are not in the catalog, or since when and why not and when the
     * next attempt is.
     */
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

    /**
     * An executor that delegates once connected; until then a preview answers 503 and an action fails as
     * {@linkplain ActionFailedException#unavailable unavailable}, which costs its job no attempt.
     */
    public MaintenanceExecutor executor() {
        return delegating("", IcebergParts::executor);
    }

    /**
     * Like {@link #executor()}, over the Spark executor of the connected parts ({@code executor.spark_enabled}).
     * Once connected, an action on parts without one fails permanently, naming the setting.
     */
    public MaintenanceExecutor sparkExecutor() {
        return delegating(" on Spark", parts -> parts.spark().orElseThrow(() -> ActionFailedException.permanentFailure(
                "this process has no Spark executor (executor.spark_enabled=false)", null)));
    }

    private MaintenanceExecutor delegating(String where, Function<IcebergParts, MaintenanceExecutor> select) {
        return new MaintenanceExecutor() {
            @Override
            public ActionResult execute(ActionRequest request, Checkpoint checkpoint) {
                IcebergParts current = parts;
                if (current == null) {
                    throw ActionFailedException.unavailable(request.action().wireName() + where
                            + " cannot run: the catalog is not connected yet: " + status, null);
                }
                return select.apply(current).execute(request, checkpoint);
            }

            @Override
            public ActionResult preview(TableId table, MaintenanceAction action) {
                return select.apply(connected()).preview(table, action);
            }

            @Override
            public Optional<ActionResult> committedBy(ActionRequest request) {
                IcebergParts current = parts;
                return current == null ? Optional.empty() : select.apply(current).committedBy(request);
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
            Catalog catalog = connect.get();
            parts = assemble.apply(catalog);
            connected = "connected" + (attempts > 1 ? " (after " + attempts + " attempts)" : "");
            status = connected;
            LOG.info("Connected to the catalog{}", attempts > 1 ? " after " + attempts + " attempts" : "");
            checkContents(catalog);
            scheduleRechecks(catalog);
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

    /** Checks the catalog's contents; sets the status and warns (when found, changed, and every 15 minutes). */
    private synchronized void checkContents(Catalog catalog) {
        CatalogContents.Finding finding;
        try {
            finding = check.apply(catalog);
        } catch (RuntimeException e) {
            finding = new CatalogContents.Finding(CatalogContents.State.UNCHECKED, "the check failed: " + e);
        }
        boolean changed = !finding.equals(lastFinding);
        CatalogContents.Finding previous = lastFinding;
        lastFinding = finding;
        switch (finding.state()) {
            case OK -> {
                status = finding.text().isEmpty() ? connected : connected + "; " + finding.text();
                if (previous != null && previous.state() == CatalogContents.State.MISCONFIGURED) {
                    LOG.info("The catalog is no longer misconfigured: {}", finding.text());
                }
            }
            case MISCONFIGURED -> {
                status = "misconfigured (" + connected + "): " + finding.text();
                if (changed || Instant.now().isAfter(lastWarned.plus(REWARN))) {
                    LOG.warn("MISCONFIGURED CATALOG: {} (/readyz reports it under 'catalog'; checked again every "
                            + "{} s)", finding.text(), recheck.toMillis() / 1000.0);
                    lastWarned = Instant.now();
                }
            }
            case UNCHECKED -> {
                status = connected + "; " + finding.text();
                if (changed) {
                    LOG.warn("The catalog's contents could not be checked: {}", finding.text());
                }
            }
        }
    }

    private void scheduleRechecks(Catalog catalog) {
        try {
            retries.scheduleWithFixedDelay(() -> {
                try {
                    checkContents(catalog);
                } catch (Throwable e) {
                    LOG.warn("Checking the catalog's contents failed: {}", e.toString());
                }
            }, recheck.toMillis(), recheck.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            LOG.debug("Catalog connection closed; no contents checks");
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

    /** Stops retrying and checking. The connected catalog, if any, is left to the process's end. */
    @Override
    public void close() {
        retries.shutdownNow();
    }
}
