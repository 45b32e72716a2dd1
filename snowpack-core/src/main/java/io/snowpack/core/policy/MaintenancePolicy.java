package io.snowpack.core.policy;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.TableHealth;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides what the orchestrator does with one table now, and why. A policy is a pure function of its inputs: no
 * I/O, no clock of its own, safe to call from any thread, so the API can show the same plan the orchestrator
 * acts on. Hosts may supply their own implementation; {@link #standard(SnowpackConfig)} is the one DESIGN §5
 * describes.
 *
 * <p>The standard policy first checks the gates, each stated in the plan's reasons: the table's database is in
 * {@code orchestrator.include_databases}; the table is opted in ({@code snowpack.maintenance_enabled=true} in
 * opt_in mode, not {@code false} in opt_out mode); {@code snowpack.compaction_skip} is not {@code true}; and the
 * table was not maintained within its cadence ({@code snowpack.maintenance_cadence_hours}, else
 * {@code orchestrator.maintenance_cadence}). A table that passes them all is eligible, and its actions come from
 * thresholds, each per-table property falling back to {@link SnowpackConfig#tableDefaults()}:
 * <ul>
 *   <li>{@code rewrite_data_files}: small files {@code >=} {@code min_input_files}, or position + equality delete
 *       files {@code >=} {@code rewrite_data_delete_file_threshold};</li>
 *   <li>{@code rewrite_position_delete_files}: position delete files {@code >=} {@code delete_file_threshold};</li>
 *   <li>{@code expire_snapshots}: the oldest snapshot is older than {@code max_snapshot_age_days} (else Iceberg's
 *       {@code history.expire.max-snapshot-age-ms}) and there are more snapshots than
 *       {@code min_snapshots_to_keep} (else {@code history.expire.min-snapshots-to-keep});</li>
 *   <li>{@code rewrite_manifests}: more than {@link #REWRITE_MANIFESTS_THRESHOLD} data manifests;</li>
 *   <li>{@code remove_orphan_files}: whenever {@code expire_snapshots} is planned (it runs after it).</li>
 * </ul>
 * A health reason that starts with an action's wire name and a colon (for example
 * {@code "rewrite_data_files: 14% of rows deleted >= 0.10"}) also plans that action: this is how a table source
 * reports what only it can measure, such as the deleted-row ratio.
 *
 * <p>Last, whatever the gates said, the plan names the executor that would maintain the table
 * ({@link ExecutorRouting}: {@code snowpack.executor}, else {@code executor.default}, and under {@code auto} the
 * table's size against {@code executor.spark_threshold_bytes}), as {@link MaintenancePlan#executor()} and as its
 * last reason.
 *
 * <p>A threshold property whose value cannot be parsed (or is out of range) falls back to its default, and the
 * plan says so naming the key and the value. An unparsable {@code snowpack.maintenance_enabled} or
 * {@code snowpack.compaction_skip} excludes the table instead: when a data engineer's intent is unclear, the safe
 * choice is not to rewrite their table.
 */
public interface MaintenancePolicy {
    /**
     * Data manifests above which {@code rewrite_manifests} is planned. 100 is Iceberg's own
     * {@code commit.manifest.min-count-to-merge} default: a table with more manifests than that was written with
     * fast appends or merging turned off, and every scan opens every one of them.
     */
    int REWRITE_MANIFESTS_THRESHOLD = 100;

    /**
     * The plan for one table.
     *
     * @param health         the table's cached health, with its {@code snowpack.*} properties (and Iceberg fallbacks)
     * @param lastMaintained when Snowpack last maintained the table, empty when never
     * @param now            the time to judge ages and the cadence against
     */
    MaintenancePlan plan(TableHealth health, Optional<Instant> lastMaintained, Instant now);

    /**
     * The thresholds {@code health} crosses, whatever the gates (database, opt-in, skip, cadence) would say: one
     * sentence per threshold crossed, each starting with the action's wire name and a colon, in canonical action
     * order. Empty when the table is healthy. A table source fills {@link TableHealth#reasons()} with these (plus
     * what only it can measure), which is what {@code needs_maintenance} reports.
     *
     * @param health the measured health; its own reasons are ignored
     * @param now    the time to judge snapshot ages against
     */
    List<String> thresholdsCrossed(TableHealth health, Instant now);

    /** The policy of DESIGN §5 for {@code config}'s include list, maintenance mode, cadence and table defaults. */
    static MaintenancePolicy standard(SnowpackConfig config) {
        return new StandardPolicy(config);
    }
}
