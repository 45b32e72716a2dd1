package io.snowpack.iceberg;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the five maintenance actions on tables of any Iceberg {@link Catalog}, in plain Java (no Spark, no Flink).
 * Each action loads the table fresh, reads its options from the table's {@code snowpack.*} properties (then Iceberg
 * properties, then the configured defaults), calls the checkpoint between units of work and right before every
 * commit, and never commits once the checkpoint has thrown. Rewrites are verified from the files themselves before
 * they commit (rows, partitions, deletes, fresh output paths; {@link VerificationFailedException} when one breaks)
 * and, on tables with {@code snowpack.verify_after_commit=true}, read back after. Every snapshot it commits carries
 * {@code snowpack.job-id}, {@code snowpack.attempt}, {@code snowpack.fence} and {@code snowpack.action}. Failures
 * are {@link io.snowpack.core.ActionFailedException}s, transient for commit conflicts, concurrent-writer
 * validation failures and I/O timeouts, permanent otherwise. {@link #preview} computes real numbers and changes
 * nothing. Thread-safe as long as the catalog is.
 */
public final class IcebergMaintenanceExecutor implements MaintenanceExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(IcebergMaintenanceExecutor.class);
    /**
     * Orphan files younger than this are never deleted, whatever the table says (Iceberg's own default): a writer
     * may take hours between writing a file and committing it. Only an operator can lower it
     * ({@link Builder#orphanAgeFloor}), and the lower floor is logged.
     */
    public static final Duration ORPHAN_AGE_FLOOR = Duration.ofDays(3);

    private final Catalog catalog;
    private final SnowpackConfig config;
    /** Tests only: replaces the orphan age; {@code null} in production. */
    private final Duration orphanAgeOverride;
    private final Duration orphanAgeFloor;
    private final Clock clock;
    private final Verification verification;

    private IcebergMaintenanceExecutor(Builder b) {
        catalog = Objects.requireNonNull(b.catalog, "catalog");
        config = b.config;
        orphanAgeOverride = b.orphanAgeOverride;
        orphanAgeFloor = b.orphanAgeFloor;
        clock = b.clock;
        verification = new Verification(b.faults, new VerificationMetrics(b.meterRegistry));
        if (orphanAgeFloor.compareTo(ORPHAN_AGE_FLOOR) < 0) {
            LOG.warn("Orphan age floor lowered by the operator from {} h to {} h: unreferenced files that old are "
                    + "deleted even if a writer still means to commit them", ORPHAN_AGE_FLOOR.toHours(),
                    orphanAgeFloor.toHours());
        }
    }

    /** An executor over {@code catalog} with {@code config}'s table defaults. */
    public static IcebergMaintenanceExecutor create(Catalog catalog, SnowpackConfig config) {
        return builder(catalog).config(config).build();
    }

    public static Builder builder(Catalog catalog) {
        return new Builder(catalog);
    }

    @Override
    public ActionResult execute(ActionRequest request, Checkpoint checkpoint) {
        Table table = Tables.load(catalog, request.table());
        TableOptions options = TableOptions.of(table.properties(), config.tableDefaults());
        LOG.info("Running {} on {} (attempt {})", request.action(), request.table(), request.attempt());
        try {
            return switch (request.action()) {
                case REWRITE_DATA_FILES -> DataFileCompaction.execute(table, request, checkpoint, options,
                        verification);
                case REWRITE_POSITION_DELETE_FILES ->
                        PositionDeleteCompaction.execute(table, request, checkpoint, options, verification);
                case EXPIRE_SNAPSHOTS -> SnapshotExpiry.execute(table, request, checkpoint, options, clock.instant());
                case REWRITE_MANIFESTS -> ManifestCompaction.execute(table, request, checkpoint);
                case REMOVE_ORPHAN_FILES -> OrphanCleanup.execute(catalog, request.table(), table, request,
                        checkpoint, orphanAge(options), clock.instant());
            };
        } catch (RuntimeException e) {
            throw Failures.classify(request.action().wireName(), e);
        }
    }

    @Override
    public ActionResult preview(TableId id, MaintenanceAction action) {
        Table table = Tables.load(catalog, id);
        TableOptions options = TableOptions.of(table.properties(), config.tableDefaults());
        try {
            return switch (action) {
                case REWRITE_DATA_FILES -> DataFileCompaction.preview(table, options);
                case REWRITE_POSITION_DELETE_FILES -> PositionDeleteCompaction.preview(table, options);
                case EXPIRE_SNAPSHOTS -> SnapshotExpiry.preview(table, options, clock.instant());
                case REWRITE_MANIFESTS -> ManifestCompaction.preview(table);
                case REMOVE_ORPHAN_FILES -> OrphanCleanup.preview(catalog, id, table, orphanAge(options),
                        clock.instant());
            };
        } catch (RuntimeException e) {
            throw Failures.classify(action.wireName() + " preview", e);
        }
    }

    /** {@code orphan_file_age_days}, never under the floor unless a test overrides it. */
    private Duration orphanAge(TableOptions options) {
        if (orphanAgeOverride != null) {
            return orphanAgeOverride;
        }
        if (options.orphanFileAge().compareTo(orphanAgeFloor) < 0) {
            LOG.info("The table asks for orphan files older than {} h; the floor of {} h applies",
                    options.orphanFileAge().toHours(), orphanAgeFloor.toHours());
            return orphanAgeFloor;
        }
        return options.orphanFileAge();
    }

    /** Builds an {@link IcebergMaintenanceExecutor}. */
    public static final class Builder {
        private final Catalog catalog;
        private SnowpackConfig config = SnowpackConfig.defaults();
        private Duration orphanAgeOverride;
        private Duration orphanAgeFloor = ORPHAN_AGE_FLOOR;
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry = new CompositeMeterRegistry();
        private RewriteFaults faults = RewriteFaults.NONE;

        private Builder(Catalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
        }

        public Builder config(SnowpackConfig value) { config = Objects.requireNonNull(value, "config"); return this; }

        /**
         * <b>Tests only.</b> Replaces every table's {@code orphan_file_age_days} and the floor, so a test
         * can remove orphans it has just made. Never use it in production: a write in flight looks orphaned.
         */
        public Builder orphanAgeOverrideForTests(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("orphan age must be >= 0, got " + value);
            }
            orphanAgeOverride = value;
            return this;
        }

        /**
         * Lowers (or raises) the age under which an unreferenced file is never deleted, whatever a table asks;
         * {@link #ORPHAN_AGE_FLOOR} by default. A floor below the default is logged at start: a file younger than
         * the longest gap between a writer's write and its commit may belong to a commit still on its way.
         */
        public Builder orphanAgeFloor(Duration value) {
            if (value == null || value.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException("orphan age floor must be at least 1 hour, got " + value);
            }
            orphanAgeFloor = value;
            return this;
        }

        /**
         * Where the verification meters go ({@code snowpack.verification.*}); none by default. Pass the host's
         * registry, or {@code SnowpackRuntime.meterRegistry()}.
         */
        public Builder meterRegistry(MeterRegistry value) {
            meterRegistry = Objects.requireNonNull(value, "meterRegistry");
            return this;
        }

        /** Tests only: faults injected between what a rewrite reads and what it writes. */
        Builder faultsForTests(RewriteFaults value) {
            faults = Objects.requireNonNull(value, "faults");
            return this;
        }

        /** The clock snapshot and orphan ages are judged by; the system clock by default. */
        public Builder clock(Clock value) { clock = Objects.requireNonNull(value, "clock"); return this; }

        public IcebergMaintenanceExecutor build() {
            return new IcebergMaintenanceExecutor(this);
        }
    }
}
