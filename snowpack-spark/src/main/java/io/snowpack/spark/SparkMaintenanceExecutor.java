package io.snowpack.spark;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.iceberg.IcebergMaintenanceExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.apache.iceberg.catalog.Catalog;
import org.apache.spark.sql.SparkSession;

/**
 * A {@link MaintenanceExecutor} whose data work runs as Spark jobs through Iceberg's own Spark actions
 * ({@code rewriteDataFiles} with bin-pack, sort or z-order, {@code rewritePositionDeletes},
 * {@code expireSnapshots}, {@code rewriteManifests}, {@code deleteOrphanFiles}), with the calling process as the
 * Spark driver: {@code local[*]} on one big node, or executors on a cluster ({@code spark.master=k8s://…}).
 *
 * <p>Everything else is the plain executor's ({@link IcebergMaintenanceExecutor}): the same table settings give
 * the same options (target size, min input files, delete thresholds, partial progress, retention, orphan age and
 * its floor); every commit carries {@code snowpack.job-id}, {@code snowpack.attempt}, {@code snowpack.fence} and
 * {@code snowpack.action}; an action an earlier attempt already committed is recorded, not run again; a commit
 * whose outcome the catalog did not confirm is settled by looking in the table; unsafe requests are refused
 * before Spark starts; previews are computed from metadata, so a dry run has the same shape whichever executor
 * would run the job. A stop request or a revoked fence, seen at a checkpoint (before the action, every
 * {@link Builder#checkpointInterval} while its Spark jobs run, and right before every commit), cancels the
 * action's Spark jobs and refuses every later commit. Results add {@code spark_jobs} and name the Spark job ids.
 *
 * <p>The Iceberg classes must come from {@code iceberg-spark-runtime} (it bundles them, compiled against its
 * shaded dependencies); {@link Builder#build()} checks that and refuses a class path where another copy wins.
 */
public final class SparkMaintenanceExecutor {
    /** While Spark jobs run, the checkpoint is asked this often unless {@link Builder#checkpointInterval} says. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(5);

    private SparkMaintenanceExecutor() {
    }

    /** An executor over {@code catalog}'s tables running on {@code spark}, with {@code config}'s table defaults. */
    public static MaintenanceExecutor create(Catalog catalog, SparkSession spark, SnowpackConfig config) {
        return builder(catalog, spark).config(config).build();
    }

    public static Builder builder(Catalog catalog, SparkSession spark) {
        return new Builder(catalog, spark);
    }

    /** Builds the Spark executor; each setter has the meaning of {@link IcebergMaintenanceExecutor.Builder}'s. */
    public static final class Builder {
        private final Catalog catalog;
        private final SparkSession spark;
        private SnowpackConfig config = SnowpackConfig.defaults();
        private Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
        private Duration orphanAgeFloor = IcebergMaintenanceExecutor.ORPHAN_AGE_FLOOR;
        private Duration orphanAgeOverride;
        private Clock clock = Clock.systemUTC();

        private Builder(Catalog catalog, SparkSession spark) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            this.spark = Objects.requireNonNull(spark, "spark");
        }

        public Builder config(SnowpackConfig value) {
            config = Objects.requireNonNull(value, "config");
            return this;
        }

        /**
         * How often the checkpoint is asked while an action's Spark jobs run (each ask heartbeats the job's claim
         * and lock); a stop or revoked fence cancels the jobs within about this long. At least 100 ms.
         */
        public Builder checkpointInterval(Duration value) {
            if (value == null || value.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("checkpoint interval must be at least 100 ms, got " + value);
            }
            checkpointInterval = value;
            return this;
        }

        /** See {@link IcebergMaintenanceExecutor.Builder#orphanAgeFloor}. */
        public Builder orphanAgeFloor(Duration value) {
            orphanAgeFloor = value;
            return this;
        }

        /** <b>Tests only.</b> See {@link IcebergMaintenanceExecutor.Builder#orphanAgeOverrideForTests}. */
        public Builder orphanAgeOverrideForTests(Duration value) {
            orphanAgeOverride = value;
            return this;
        }

        /** The clock snapshot and orphan ages are judged by; the system clock by default. */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * @throws IllegalStateException when the Iceberg classes do not come from {@code iceberg-spark-runtime}
         */
        public MaintenanceExecutor build() {
            ClassPathCheck.requireRuntimeIceberg();
            IcebergMaintenanceExecutor.Builder executor = IcebergMaintenanceExecutor.builder(catalog)
                    .config(config)
                    .orphanAgeFloor(orphanAgeFloor)
                    .clock(clock)
                    .engine(new SparkEngine(spark, new CheckpointWatcher(checkpointInterval)));
            if (orphanAgeOverride != null) {
                executor.orphanAgeOverrideForTests(orphanAgeOverride);
            }
            return executor.build();
        }
    }
}
