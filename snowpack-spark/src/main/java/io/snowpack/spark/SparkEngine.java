package io.snowpack.spark;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Counts;
import io.snowpack.core.policy.RewriteStrategy;
import io.snowpack.core.policy.TableSettings;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.iceberg.ActionEngine;
import io.snowpack.iceberg.EngineOptions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.BinPackRewriteFilePlanner;
import org.apache.iceberg.actions.DeleteOrphanFiles;
import org.apache.iceberg.actions.ExpireSnapshots;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.actions.RewriteManifests;
import org.apache.iceberg.actions.RewritePositionDeleteFiles;
import org.apache.iceberg.actions.SizeBasedFileRewritePlanner;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The five actions through Iceberg's Spark actions, with the worker's process as the Spark driver. Every option
 * comes from the table's resolved settings, as for the plain-Java engine. The table handed to Spark commits only
 * through {@link FencedOperations}, so the checkpoint is asked right before every commit; it is also asked before
 * the action starts and, while Spark jobs run, every {@code checkpointInterval}. A signal cancels the action's
 * Spark jobs (by job tag, sticky) and is thrown as it came, also when Iceberg swallowed it in a partial-progress
 * commit. Results carry the same counts as the plain engine's where Spark reports them, plus the Spark job ids.
 */
final class SparkEngine implements ActionEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SparkEngine.class);
    /** Orphan deletions between two checkpoints (the first deletion always asks). */
    private static final int DELETES_PER_CHECKPOINT = 1000;

    private final SparkSession spark;
    private final SparkJobs jobs;
    private final CheckpointWatcher watcher;

    SparkEngine(SparkSession spark, CheckpointWatcher watcher) {
        this.spark = spark;
        this.jobs = SparkJobs.of(spark);
        this.watcher = watcher;
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public ActionResult run(Table table, ActionRequest request, Checkpoint checkpoint, EngineOptions options) {
        String tag = "snowpack-" + request.jobId().value() + "-" + request.attempt();
        GuardedCheckpoint guard = new GuardedCheckpoint(checkpoint,
                () -> jobs.cancel(tag, "Snowpack stopped job " + request.jobId().value() + " attempt "
                        + request.attempt()));
        guard.check();
        Table fenced = FencedOperations.wrap(table, guard);
        long begin = System.nanoTime();
        try (SparkJobs.Tagged tagged = jobs.tag(tag); CheckpointWatcher.Watch watch = watcher.watch(guard)) {
            Map<String, Long> metrics = new LinkedHashMap<>();
            String summary = switch (request.action()) {
                case REWRITE_DATA_FILES -> rewriteDataFiles(fenced, request, options, metrics);
                case REWRITE_POSITION_DELETE_FILES -> rewritePositionDeletes(fenced, options, metrics);
                case EXPIRE_SNAPSHOTS -> expireSnapshots(fenced, options, metrics);
                case REWRITE_MANIFESTS -> rewriteManifests(fenced, options, metrics);
                case REMOVE_ORPHAN_FILES -> removeOrphans(fenced, options, guard, metrics);
            };
            guard.rethrowSignal();
            int[] ids = jobs.jobIds(tag);
            metrics.put("spark_jobs", (long) ids.length);
            metrics.putAll(CommitSummaries.ofAttempt(fenced, request));
            double seconds = (System.nanoTime() - begin) / 1e9;
            LOG.info("{} on {} through Spark: {} (Spark jobs {})", request.action().wireName(), request.table(),
                    summary, describe(ids));
            return ActionResult.succeeded(request.action(), summary + " (Spark jobs " + describe(ids) + ")", seconds,
                    metrics);
        } catch (RuntimeException e) {
            guard.rethrowSignal();
            throw e;
        }
    }

    /**
     * Spark's own removal of dangling deletes is off: it commits without the job's summary properties. The
     * executor's removal runs instead, right after the rewrite, through the same fenced table.
     */
    private String rewriteDataFiles(Table table, ActionRequest request, EngineOptions options,
            Map<String, Long> metrics) {
        TableSettings settings = options.settings();
        RewriteDataFiles action = SparkActions.get(spark).rewriteDataFiles(table);
        RewriteStrategy strategy = settings.rewriteStrategy().forTable(table.sortOrder().isSorted());
        action = switch (strategy) {
            case SORT -> action.sort();
            case ZORDER -> action.zOrder(settings.zorderColumns().toArray(String[]::new));
            default -> action.binPack();
        };
        action = action
                .option(RewriteDataFiles.TARGET_FILE_SIZE_BYTES, Long.toString(settings.targetFileSizeBytes()))
                .option(SizeBasedFileRewritePlanner.MIN_INPUT_FILES, Integer.toString(settings.minInputFiles()))
                .option(SizeBasedFileRewritePlanner.REWRITE_ALL, Boolean.toString(settings.rewriteAll()))
                .option(BinPackRewriteFilePlanner.DELETE_FILE_THRESHOLD,
                        Integer.toString(settings.rewriteDataDeleteFileThreshold()))
                .option(BinPackRewriteFilePlanner.DELETE_RATIO_THRESHOLD,
                        Double.toString(settings.rewriteDataDeleteRatioThreshold()))
                .option(RewriteDataFiles.REMOVE_DANGLING_DELETES, "false")
                .options(partialProgress(settings, RewriteDataFiles.PARTIAL_PROGRESS_ENABLED,
                        RewriteDataFiles.PARTIAL_PROGRESS_MAX_COMMITS));
        for (Map.Entry<String, String> property : options.commitProperties().entrySet()) {
            action = action.snapshotProperty(property.getKey(), property.getValue());
        }
        RewriteDataFiles.Result result = action.execute();
        long dangling = ActionEngine.removeDanglingDeletes(table, request);
        metrics.put("dangling_delete_files_removed", dangling);
        metrics.put("groups", (long) result.rewriteResults().size());
        metrics.put("files_in", (long) result.rewrittenDataFilesCount());
        metrics.put("files_out", (long) result.addedDataFilesCount());
        metrics.put("bytes_in", result.rewrittenBytesCount());
        metrics.put("failed_files", (long) result.failedDataFilesCount());
        String failed = result.failedDataFilesCount() == 0 ? ""
                : "; " + result.failedDataFilesCount() + " files in groups that failed stay for the next run";
        return "Compacted " + Counts.of(result.rewrittenDataFilesCount(), "file") + " into "
                + Counts.of(result.addedDataFilesCount(), "file") + " in "
                + Counts.of(result.rewriteResults().size(), "group") + " (" + strategy.wireName() + "); removed "
                + dangling + " dangling delete files" + failed;
    }

    private String rewritePositionDeletes(Table table, EngineOptions options, Map<String, Long> metrics) {
        TableSettings settings = options.settings();
        RewritePositionDeleteFiles action = SparkActions.get(spark).rewritePositionDeletes(table)
                .option(SizeBasedFileRewritePlanner.TARGET_FILE_SIZE_BYTES,
                        Long.toString(settings.targetFileSizeBytes()))
                .option(SizeBasedFileRewritePlanner.MIN_INPUT_FILES, Integer.toString(settings.deleteFileThreshold()))
                .options(partialProgress(settings, RewritePositionDeleteFiles.PARTIAL_PROGRESS_ENABLED,
                        RewritePositionDeleteFiles.PARTIAL_PROGRESS_MAX_COMMITS));
        for (Map.Entry<String, String> property : options.commitProperties().entrySet()) {
            action = action.snapshotProperty(property.getKey(), property.getValue());
        }
        RewritePositionDeleteFiles.Result result = action.execute();
        metrics.put("groups", (long) result.rewriteResults().size());
        metrics.put("delete_files_in", (long) result.rewrittenDeleteFilesCount());
        metrics.put("delete_files_out", (long) result.addedDeleteFilesCount());
        metrics.put("bytes_in", result.rewrittenBytesCount());
        metrics.put("bytes_out", result.addedBytesCount());
        return "Rewrote " + result.rewrittenDeleteFilesCount() + " position delete files into "
                + result.addedDeleteFilesCount() + " in " + result.rewriteResults().size() + " groups";
    }

    private String expireSnapshots(Table table, EngineOptions options, Map<String, Long> metrics) {
        TableSettings settings = options.settings();
        long before = count(table.snapshots());
        ExpireSnapshots.Result result = SparkActions.get(spark).expireSnapshots(table)
                .expireOlderThan(options.expireOlderThanMillis())
                .retainLast(settings.minSnapshotsToKeep())
                .execute();
        long expired = before - count(table.snapshots());
        long deleted = result.deletedDataFilesCount() + result.deletedPositionDeleteFilesCount()
                + result.deletedEqualityDeleteFilesCount() + result.deletedManifestsCount()
                + result.deletedManifestListsCount() + result.deletedStatisticsFilesCount();
        metrics.put("snapshots_expired", expired);
        metrics.put("files_deleted", deleted);
        return "Expired " + expired + " snapshots older than " + settings.maxSnapshotAge().toDays() + " days and "
                + "deleted " + deleted + " files they alone referenced";
    }

    private String rewriteManifests(Table table, EngineOptions options, Map<String, Long> metrics) {
        RewriteManifests action = SparkActions.get(spark).rewriteManifests(table);
        for (Map.Entry<String, String> property : options.commitProperties().entrySet()) {
            action = action.snapshotProperty(property.getKey(), property.getValue());
        }
        RewriteManifests.Result result = action.execute();
        long in = count(result.rewrittenManifests());
        long out = count(result.addedManifests());
        metrics.put("manifests_in", in);
        metrics.put("manifests_out", out);
        return "Rewrote " + in + " manifests into " + out;
    }

    private String removeOrphans(Table table, EngineOptions options, Checkpoint guard, Map<String, Long> metrics) {
        AtomicLong deleted = new AtomicLong();
        DeleteOrphanFiles.Result result = SparkActions.get(spark).deleteOrphanFiles(table)
                .usePrefixListing(table.io() instanceof SupportsPrefixOperations)
                .olderThan(options.now().minus(options.orphanAge()).toEpochMilli())
                .deleteWith(location -> {
                    if (deleted.get() % DELETES_PER_CHECKPOINT == 0) {
                        guard.check();
                    }
                    table.io().deleteFile(location);
                    deleted.incrementAndGet();
                    LOG.info("Deleted orphan file {}", location);
                })
                .execute();
        long found = count(result.orphanFileLocations());
        metrics.put("orphan_files", found);
        metrics.put("orphan_files_deleted", deleted.get());
        return "Deleted " + deleted.get() + " of " + found + " orphan files older than " + options.orphanAge().toHours()
                + " h";
    }

    private static Map<String, String> partialProgress(TableSettings settings, String enabledKey, String maxKey) {
        int commits = settings.partialProgressMaxCommits();
        return Map.of(enabledKey, Boolean.toString(commits > 1), maxKey, Integer.toString(commits));
    }

    private static long count(Iterable<?> items) {
        long n = 0;
        for (Object ignored : items) {
            n++;
        }
        return n;
    }

    private static String describe(int[] ids) {
        return ids.length == 0 ? "none"
                : Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    }
}
