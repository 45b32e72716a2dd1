package io.snowpack.core.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.leader.Leadership;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Keeps the table cache in step with the catalog (DESIGN §5 "Health sync"). One pass ({@link #runOnce()}) covers
 * every database of {@code health_sync.databases} (every database of the source when that is empty): it lists each
 * database's tables, computes each table's health with at most {@code health_sync.concurrency} tables in flight,
 * upserts each health into the table cache as soon as it is computed (nothing of a table is kept afterwards),
 * removes cached tables the source no longer lists, and records {@code last_synced}.
 *
 * <p>Databases overlap: their tables share one pool of {@code health_sync.concurrency} table tasks for the whole
 * pass, with no barrier between databases; a database's dropped tables are removed once its last table is done.
 *
 * <p><b>One process at a time.</b> A pass runs only while this process leads health sync ({@link Builder#leader},
 * usually a {@code LeaderElection} on lock key {@value #LOCK_KEY}); elsewhere {@link #runOnce()} does nothing and
 * answers {@link SyncReport.Outcome#NOT_LEADER}, and the process serves the shared cache the leader keeps. The lead
 * is checked before every table, and removals and {@code last_synced} are written fenced by the lease: a process that
 * loses the lead mid-pass starts no further table, removes nothing more, records no sync, and reports
 * {@link SyncReport.Outcome#LEADERSHIP_LOST}.
 *
 * <p>Failures are contained: a table whose health cannot be computed is logged and counted and keeps its previous
 * cached row; a database whose listing fails is reported and keeps every cached table. Implementations are
 * thread-safe and passes never overlap: a second caller of {@link #runOnce()} waits for the pass in progress.
 */
public interface HealthSync extends AutoCloseable {
    /** The leader-election lock key of health sync, apart from the orchestrator's and sweeper's {@code scheduler}. */
    String LOCK_KEY = "health_sync";

    /**
     * The lock key of the pass marker: a lease held by the process running a pass, from its start (the lease's
     * {@code acquired_at}) to its end, so that every replica can tell whether a pass is running and since when.
     * Information only, never a lock; renewed as tables finish, it may lapse during a single table longer than
     * {@code leader.lease_ttl}.
     */
    String PASS_KEY = "health_sync_pass";

    /** A builder; {@link Builder#store} and {@link Builder#source} are required. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Runs one full pass now when this process leads health sync, on the calling thread plus a bounded pool that
     * lives only for the pass. Per-table and per-database failures are in the report; an exception escapes only
     * when the table cache itself fails while recording the pass, or when the caller is interrupted.
     *
     * @return the report; {@link SyncReport.Outcome#NOT_LEADER} with nothing done when another process leads
     */
    SyncReport runOnce();

    /**
     * Runs {@link #runOnce()} when this process leads and a pass is due: the shared cache's {@code last_synced}
     * (whichever process recorded it) is at least {@code health_sync.interval} old or absent, and this process's
     * own last attempt ended at least that long ago (a pass that recorded nothing, such as one against an
     * unreachable catalog, is not retried sooner). Times are the backend's.
     *
     * @return the report of the pass run, empty when none was due or this process does not lead
     */
    Optional<SyncReport> runIfDue();

    /**
     * Calls {@link #runIfDue()} on {@code scheduler} at once and then every minute (or every
     * {@code health_sync.interval} when shorter) until {@link #close()}: passes are spaced by the interval measured
     * from the end of one pass to the start of the next, and a process that takes over the lead starts a due pass
     * within a minute. A failing pass is logged and the loop goes on. When the interval is zero, health sync is
     * disabled: this logs so and schedules nothing.
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
        Leadership leadership = Leadership.always("local");

        private Builder() {
        }

        /** The backend whose table cache is kept up to date. Required. */
        public Builder store(SnowpackStore value) { store = Objects.requireNonNull(value, "store"); return this; }

        /** Where databases, tables and their health come from. Required. */
        public Builder source(TableSource value) { source = Objects.requireNonNull(value, "source"); return this; }

        /** Interval, concurrency and databases; default {@link SnowpackConfig#defaults()}. */
        public Builder config(SnowpackConfig value) { config = Objects.requireNonNull(value, "config"); return this; }

        /**
         * This process's lead of health sync, usually a {@code LeaderElection} on lock key {@value #LOCK_KEY}: passes
         * run only while it leads, and removals and {@code last_synced} are fenced by its lease. Default: always
         * leads, unfenced (one process, or tests).
         */
        public Builder leader(Leadership value) {
            leadership = Objects.requireNonNull(value, "leader");
            return this;
        }

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
