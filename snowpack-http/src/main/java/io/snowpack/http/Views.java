package io.snowpack.http;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.OrchestratorRun;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.policy.MaintenancePlan;
import io.snowpack.core.policy.SkipReason;
import io.snowpack.core.spi.CacheStatus;
import io.snowpack.core.spi.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON shapes of the API (snake_case fields, timestamps with offset), as ordered maps for Jackson. */
final class Views {
    private Views() {
    }

    /** A job as seed 001 shows it, plus its attempts and trigger; {@code results} is null until there are any. */
    static Map<String, Object> job(Job job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("job_id", job.jobId().value());
        view.put("database", job.table().database());
        view.put("table_name", job.table().table());
        view.put("actions", job.actions().stream().map(MaintenanceAction::wireName).toList());
        view.put("dry_run", job.dryRun());
        view.put("status", job.status().wireName());
        view.put("submitted_at", Timestamps.format(job.submittedAt()));
        view.put("started_at", Timestamps.format(job.startedAt()));
        view.put("completed_at", Timestamps.format(job.completedAt()));
        view.put("results", job.results().isEmpty() ? null : job.results().stream().map(Views::result).toList());
        view.put("error", job.error());
        view.put("attempts", job.attempts());
        view.put("triggered_by", job.trigger().wireName());
        view.put("stop_confirmed_at", Timestamps.format(job.stopConfirmedAt()));
        return view;
    }

    static Map<String, Object> result(ActionResult result) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("action", result.action().wireName());
        view.put("success", result.success());
        view.put("message", result.message());
        view.put("error", result.error());
        view.put("elapsed_seconds", result.elapsedSeconds());
        view.put("metrics", result.metrics());
        return view;
    }

    static Map<String, Object> health(TableHealth health) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("database", health.table().database());
        view.put("table_name", health.table().table());
        view.put("maintenance_enabled", health.maintenanceEnabled());
        view.put("needs_maintenance", health.needsMaintenance());
        view.put("reasons", health.reasons());
        view.put("data_files", health.dataFiles());
        view.put("small_files", health.smallFiles());
        view.put("average_file_size_bytes", health.averageFileSizeBytes());
        view.put("position_delete_files", health.positionDeleteFiles());
        view.put("equality_delete_files", health.equalityDeleteFiles());
        view.put("total_records", health.totalRecords());
        view.put("total_bytes", health.totalBytes());
        view.put("snapshots", health.snapshots());
        view.put("oldest_snapshot_at", Timestamps.format(health.oldestSnapshotAt()));
        view.put("data_manifests", health.dataManifests());
        view.put("delete_manifests", health.deleteManifests());
        view.put("metadata_file_size_bytes", health.metadataFileSizeBytes());
        view.put("previous_metadata_files", health.previousMetadataFiles());
        view.put("deletion_vectors", health.deletionVectors());
        view.put("format_version", health.formatVersion());
        view.put("properties", health.properties());
        view.put("property_problems", health.propertyProblems());
        view.put("synced_at", Timestamps.format(health.syncedAt()));
        return view;
    }

    /** A cached table with its most recent jobs. */
    static Map<String, Object> table(TableHealth health, List<Job> lastJobs) {
        Map<String, Object> view = health(health);
        view.put("last_jobs", lastJobs.stream().map(Views::job).toList());
        return view;
    }

    /**
     * {@code GET /tables/cache-status}: {@code last_synced} and {@code table_count}, then {@code lag_seconds} (whole
     * seconds since the last completed health-sync pass at backend time {@code now}, null before the first) and the
     * live health-sync lead ({@code sync_leader} and {@code sync_leader_since}, null when no process leads it), then
     * {@code pass_running} and {@code pass_started_at} (null when none runs) from the live pass marker.
     */
    static Map<String, Object> cacheStatus(CacheStatus status, Instant now, Optional<Lease> syncLead,
            Optional<Lease> pass) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("last_synced", status.lastSynced().map(Timestamps::format).orElse(null));
        view.put("table_count", status.tableCount());
        view.put("lag_seconds", status.lag(now).map(Duration::toSeconds).orElse(null));
        view.put("sync_leader", syncLead.map(Lease::holder).orElse(null));
        view.put("sync_leader_since", syncLead.map(lease -> Timestamps.format(lease.acquiredAt())).orElse(null));
        view.put("pass_running", pass.isPresent());
        view.put("pass_started_at", pass.map(lease -> Timestamps.format(lease.acquiredAt())).orElse(null));
        return view;
    }

    static Map<String, Object> plan(MaintenancePlan plan) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("database", plan.table().database());
        view.put("table_name", plan.table().table());
        view.put("eligible", plan.eligible());
        view.put("would_submit", plan.submits());
        view.put("skipped_by", plan.skippedBy().stream().map(SkipReason::wireName).toList());
        view.put("actions", plan.actions().stream().map(MaintenanceAction::wireName).toList());
        view.put("reasons", plan.reasons());
        view.put("executor", plan.executor().executor().wireName());
        view.put("executor_reason", plan.executor().reason());
        return view;
    }

    static Map<String, Object> run(OrchestratorRun run) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("run_id", run.runId());
        view.put("leader", run.leader());
        view.put("started_at", Timestamps.format(run.startedAt()));
        view.put("finished_at", Timestamps.format(run.finishedAt()));
        view.put("tables_assessed", run.tablesAssessed());
        view.put("tables_skipped", run.tablesSkipped());
        view.put("tables_healthy", run.tablesHealthy());
        view.put("jobs_submitted", run.jobsSubmitted());
        view.put("tables_failed", run.tablesFailed());
        view.put("skipped_by_reason", run.skippedByReason());
        view.put("error", run.error());
        return view;
    }

    /**
     * {@code GET/PUT /admin/drain}: {@code enabled} (whether this process refuses new jobs now), {@code shared} (the
     * switch in the settings store, the one {@code PUT} sets and every process reads) and {@code forced_by_config}
     * (this process's {@code api.drain_mode}, which keeps drain mode on whatever the shared switch says).
     */
    static Map<String, Object> drain(boolean enabled, boolean shared, boolean forcedByConfig) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", enabled);
        view.put("shared", shared);
        view.put("forced_by_config", forcedByConfig);
        return view;
    }

    static Map<String, Object> error(String error, String detail) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("error", error);
        view.put("detail", detail);
        return view;
    }
}
