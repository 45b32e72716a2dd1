package io.snowpack.core.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.snowpack.core.spi.CacheStatus;
import io.snowpack.core.spi.SnowpackStore;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauge {@code snowpack.health_sync.lag}: seconds since the last completed health-sync pass, read at each scrape
 * from the shared cache status and the backend's time, so every process (leader or not, API or scheduler) reports
 * the same value. {@code NaN} before the first pass and while the backend does not answer.
 */
public final class HealthSyncLag {
    /** The gauge's name. */
    public static final String METER = "snowpack.health_sync.lag";

    private static final Logger LOG = LoggerFactory.getLogger(HealthSyncLag.class);

    private HealthSyncLag() {
    }

    /** Registers the gauge on {@code registry} for {@code store}; registering it twice keeps one gauge. */
    public static void register(MeterRegistry registry, SnowpackStore store) {
        Gauge.builder(METER, store, HealthSyncLag::seconds)
                .description("Seconds since the last completed health-sync pass (shared cache status, backend time); "
                        + "NaN before the first")
                .baseUnit("seconds")
                .register(registry);
    }

    /** The lag of {@code store}'s cache now, in seconds; {@code NaN} when unknown. */
    static double seconds(SnowpackStore store) {
        try {
            CacheStatus status = store.tables().status();
            Optional<Duration> lag = status.lag(store.now());
            return lag.map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
        } catch (RuntimeException e) {
            LOG.debug("Health-sync lag unknown: the backend did not answer", e);
            return Double.NaN;
        }
    }
}
