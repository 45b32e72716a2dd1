package io.snowpack.iceberg;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.snowpack.core.ActionFailedException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.policy.TableSettings;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the five maintenance actions on tables of any Iceberg {@link Catalog}, in plain Java (no Spark, no Flink),
 * or, with {@link Builder#engine}, on another {@link ActionEngine} (Spark's actions, from {@code snowpack-spark})
 * with everything described here unchanged but the data work.
 * Each action loads the table fresh and first looks in its snapshots for a commit this job already made for the
 * action (an earlier attempt that died or lost its claim after committing): such an action is recorded as done,
 * not run again. It reads its options from the table's {@code snowpack.*} properties (then Iceberg
 * properties, then the configured defaults), calls the checkpoint between units of work and right before every
 * commit, and never commits once the checkpoint has thrown. Rewrites are verified from the files themselves before
 * they commit (rows, partitions, deletes, fresh output paths; {@link VerificationFailedException} when one breaks)
 * and, on tables with {@code snowpack.verify_after_commit=true}, read back after. Every snapshot it commits carries
 * {@code snowpack.job-id}, {@code snowpack.attempt}, {@code snowpack.fence} and {@code snowpack.action}. The
 * checkpoint signals ({@link io.snowpack.core.FenceRevokedException},
 * {@link io.snowpack.core.spi.StopRequestedException}) propagate unchanged. Failures are
 * {@link ActionFailedException}s classified by cause: transient for commit conflicts, concurrent writers and a
 * catalog or object store that is down, slow or throttling; permanent otherwise. An unknown commit state is settled
 * by looking in the table. {@link #preview} computes real numbers and changes nothing. Thread-safe as long as the
 * catalog is.
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
    private final ActionEngine engine;

    private IcebergMaintenanceExecutor(Builder b) {
        catalog = Objects.requireNonNull(b.catalog, "catalog");
        config = b.config;
        orphanAgeOverride = b.orphanAgeOverride;
        orphanAgeFloor = b.orphanAgeFloor;
        clock = b.clock;
        engine = b.engine != null ? b.engine
                : new LocalEngine(catalog, new Verification(b.faults, new VerificationMetrics(b.meterRegistry)));
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
        String action = request.action().wireName();
        try {
            Table table = Tables.load(catalog, request.table());
            List<CommitLedger.Commit> earlier = CommitLedger.commitsOfAction(table, request);
            if (!earlier.isEmpty()) {
                return alreadyCommitted(request, earlier);
            }
            TableSettings options = TableSettings.resolve(table.properties(), config);
            refuseUnsafe(table, request);
            LOG.info("Running {} on {} (attempt {}) with the {} engine", action, request.table(), request.attempt(),
                    engine.name());
            return engine.run(table, request, checkpoint, new EngineOptions(options, orphanAge(options),
                    clock.instant(), CommitProperties.of(request)));
        } catch (RuntimeException e) {
            if (Checkpoint.signalIn(e) == null && Failures.commitStateUnknown(e)) {
                return settleUnknownCommit(request, e);
            }
            throw Failures.classify(action, e);
        }
    }

    /**
     * Requests refused whatever the engine: deleting files of a table with {@code gc.enabled=false}, and orphan
     * removal under a location that holds another table of the catalog (its files would all look orphaned).
     */
    private void refuseUnsafe(Table table, ActionRequest request) {
        switch (request.action()) {
            case EXPIRE_SNAPSHOTS -> SnapshotExpiry.requireGc(table, request.action().wireName());
            case REMOVE_ORPHAN_FILES -> OrphanCleanup.refuseUnsafe(catalog, request.table(), table);
            default -> { }
        }
    }

    /**
     * An earlier attempt of this job committed this action (the worker may have died, or lost its claim, after the
     * commit and before recording it): the table's snapshots say so, and the action is recorded as done with them
     * instead of being run again, so each action commits once per job.
     */
    private static ActionResult alreadyCommitted(ActionRequest request, List<CommitLedger.Commit> commits) {
        CommitLedger.Commit last = commits.get(commits.size() - 1);
        String snapshots = CommitLedger.snapshotIds(commits);
        LOG.warn("{} of job {} was already committed by attempt {} (snapshots {}): recording it, not running it "
                + "again", request.action(), request.jobId(), last.attempt(), snapshots);
        return ActionResult.succeeded(request.action(), "Already committed by attempt " + last.attempt()
                + " as snapshot " + snapshots + " (found in the table); not run again", 0,
                Map.of("already_committed_snapshots", (long) commits.size(), "last_snapshot_id", last.snapshotId()));
    }

    /**
     * The catalog did not say whether a commit landed ({@code CommitStateUnknownException}): never retry blindly;
     * look in the table. This attempt's commits found there are recorded as done; none found means nothing landed
     * and a retry is safe. When the table cannot be read either, the next attempt looks before it rewrites.
     */
    private ActionResult settleUnknownCommit(ActionRequest request, RuntimeException unknown) {
        String action = request.action().wireName();
        Table fresh;
        try {
            fresh = Tables.load(catalog, request.table());
        } catch (RuntimeException unreadable) {
            throw ActionFailedException.transientFailure(action + ": the catalog did not confirm the commit and "
                    + "the table cannot be read now; the next attempt looks in the table before it rewrites anything",
                    unknown);
        }
        List<CommitLedger.Commit> landed = CommitLedger.commitsOfAttempt(fresh, request);
        if (landed.isEmpty()) {
            throw ActionFailedException.transientFailure(action + ": the catalog did not confirm the commit, and the "
                    + "table shows it did not land; safe to retry", unknown);
        }
        String snapshots = CommitLedger.snapshotIds(landed);
        LOG.warn("{} on {}: the catalog did not confirm the commit, but the table holds snapshot {} of this attempt",
                action, request.table(), snapshots);
        return ActionResult.succeeded(request.action(), "Committed as snapshot " + snapshots + " (the catalog did "
                + "not confirm the commit; the table shows it landed)", 0,
                Map.of("snapshots_committed", (long) landed.size()));
    }

    /** This attempt's commits for the action, as the table's snapshot summaries record them. */
    @Override
    public Optional<ActionResult> committedBy(ActionRequest request) {
        List<CommitLedger.Commit> commits = CommitLedger.commitsOfAttempt(Tables.load(catalog, request.table()),
                request);
        if (commits.isEmpty()) {
            return Optional.empty();
        }
        String snapshots = CommitLedger.snapshotIds(commits);
        return Optional.of(ActionResult.succeeded(request.action(), "Committed snapshot " + snapshots
                + " (found in the table)", 0, Map.of("snapshots_committed", (long) commits.size())));
    }

    @Override
    public ActionResult preview(TableId id, MaintenanceAction action) {
        try {
            Table table = Tables.load(catalog, id);
            TableSettings options = TableSettings.resolve(table.properties(), config);
            return switch (action) {
                case REWRITE_DATA_FILES -> DataFileCompaction.preview(table, options);
                case REWRITE_POSITION_DELETE_FILES -> PositionDeleteCompaction.preview(table, options);
                case EXPIRE_SNAPSHOTS -> SnapshotExpiry.preview(table, options, orphanAge(options), clock.instant());
                case REWRITE_MANIFESTS -> ManifestCompaction.preview(table);
                case REMOVE_ORPHAN_FILES -> OrphanCleanup.preview(catalog, id, table, orphanAge(options),
                        clock.instant());
            };
        } catch (RuntimeException e) {
            throw Failures.classify(action.wireName() + " preview", e);
        }
    }

    /** {@code orphan_file_age_days}, never under the floor unless a test overrides it. */
    private Duration orphanAge(TableSettings options) {
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
        private ActionEngine engine;

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

        /**
         * Runs the actions' data work on {@code value} instead of in this JVM (for example Spark's actions, from
         * {@code snowpack-spark}); previews are still computed here, from the table's metadata, so a dry run looks
         * the same whichever engine would run the job.
         */
        public Builder engine(ActionEngine value) {
            engine = Objects.requireNonNull(value, "engine");
            return this;
        }

        /** The clock snapshot and orphan ages are judged by; the system clock by default. */
        public Builder clock(Clock value) { clock = Objects.requireNonNull(value, "clock"); return this; }

        public IcebergMaintenanceExecutor build() {
            return new IcebergMaintenanceExecutor(this);
        }
    }
}
