package io.snowpack.http;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.spi.CacheStatus;
import io.snowpack.core.spi.SnowpackStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /readyz}: ready when the backend answers within {@link #DATABASE_TIMEOUT} and, while health sync is on,
 * the table cache was synced within twice its interval. Each check is reported by name.
 */
final class Readiness {
    static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(2);

    private final SnowpackStore store;
    private final SnowpackConfig config;
    private final ExecutorService probes;

    Readiness(SnowpackStore store, SnowpackConfig config, ExecutorService probes) {
        this.store = store;
        this.config = config;
        this.probes = probes;
    }

    /** One sentence per check, keyed by check name; {@code ok} is {@code true} when every check passed. */
    record Report(boolean ok, Map<String, String> checks) {
    }

    Report check() {
        Map<String, String> checks = new LinkedHashMap<>();
        CompletableFuture<Instant> now = CompletableFuture.supplyAsync(store::now, probes);
        Instant dbNow;
        try {
            dbNow = now.get(DATABASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            checks.put("database", "ok");
        } catch (TimeoutException e) {
            now.cancel(true);
            checks.put("database", "no answer within " + DATABASE_TIMEOUT.toSeconds() + " s");
            return new Report(false, checks);
        } catch (ExecutionException e) {
            checks.put("database", "unreachable: " + e.getCause().getMessage());
            return new Report(false, checks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            checks.put("database", "interrupted");
            return new Report(false, checks);
        }
        Duration interval = config.healthSyncInterval();
        if (interval.isZero()) {
            checks.put("table_cache", "not checked: health sync is off in this process");
            return new Report(true, checks);
        }
        CacheStatus status = store.tables().status();
        Duration limit = interval.multipliedBy(2);
        if (status.lastSynced().isEmpty()) {
            checks.put("table_cache", "never synced");
            return new Report(false, checks);
        }
        Duration age = Duration.between(status.lastSynced().get(), dbNow);
        boolean fresh = age.compareTo(limit) <= 0;
        checks.put("table_cache", (fresh ? "ok: " : "stale: ") + "synced " + age.toSeconds() + " s ago (limit "
                + limit.toSeconds() + " s)");
        return new Report(fresh, checks);
    }
}
