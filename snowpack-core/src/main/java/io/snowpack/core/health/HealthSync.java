package io.snowpack.core.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Keeps the table cache in step with the catalog (DESIGN §5 "Health sync"). One pass ({@link #runOnce()}) covers
 * every database of {@code health_sync.databases} (every database of the source when that is empty): it lists the
 * database's tables, computes each table's health with at most {@code health_sync.concurrency} tables in flight,
 * upserts each health into the table cache as soon as it is computed (nothing of a table is kept afterwards),
 * removes cached tables the source no longer lists, and records {@code last_synced}.
 *
 * <p>Failures are contained: a table whose health cannot be computed is logged and counted and keeps its previous
 * cached row; a database whose listing fails is reported and keeps every cached table. Implementations are
 * thread-safe and passes never overlap: a second caller of {@link #runOnce()} waits for the pass in progress.
 */
public interface HealthSync extends AutoCloseable {
    /** A builder; {@link Builder#store} and {@link Builder#source} are required. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Runs one full pass now, on the calling thread plus a bounded pool that lives only for the pass. Per-table and
     * per-database failures are in the report; an exception escapes only when the table cache itself fails while
     * recording the pass, or when the caller is interrupted.
     */
    SyncReport runOnce();

    /**
     * Runs {@link #runOnce()} on {@code scheduler} at once and then every {@code health_sync.interval} (measured
     * from the end of one pass to the start of the next) until {@link #close()}. A failing pass is logged and the
     * loop goes on. When the interval is zero, health sync is disabled: this logs so and schedules nothing.
     *
     * @throws IllegalStateException when already started
     */
    void start(ScheduledExecutorService scheduler);

    /** Stops the loop started by {@link #start}; a pass in progress finishes. Idempotent. */
    @Override
    void close();

    /** Builds a {@link HealthSync}. Not thread-safe. */
    final class Builder {
        SnowpackStore store;
        TableSource source;
        SnowpackConfig config = SnowpackConfig.defaults();
        MeterRegistry meterRegistry = new CompositeMeterRegistry();

        private Builder() {
        }

        /** The backend whose table cache is kept up to date. Required. */
        public Builder store(SnowpackStore value) { store = Objects.requireNonNull(value, "store"); return this; }

        /** Where databases, tables and their health come from. Required. */
        public Builder source(TableSource value) { source = Objects.requireNonNull(value, "source"); return this; }

        /** Interval, concurrency and databases; default {@link SnowpackConfig#defaults()}. */
        public Builder config(SnowpackConfig value) { config = Objects.requireNonNull(value, "config"); return this; }

        /** Where metrics go; default a registry that records nothing. */
        public Builder meterRegistry(MeterRegistry value) {
            meterRegistry = Objects.requireNonNull(value, "meterRegistry");
            return this;
        }

        /** @throws NullPointerException when the store or the source is missing */
        public HealthSync build() {
            Objects.requireNonNull(store, "store is required");
            Objects.requireNonNull(source, "source is required");
            return new DefaultHealthSync(this);
        }
    }
}
