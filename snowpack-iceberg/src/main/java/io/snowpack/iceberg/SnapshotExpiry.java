package io.snowpack.iceberg;

import io.snowpack.core.model.Counts;
import io.snowpack.core.ActionFailedException;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.policy.TableSettings;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.ExpireSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.util.PropertyUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code expire_snapshots}: snapshots older than {@code max_snapshot_age_days}, keeping the newest
 * {@code min_snapshots_to_keep} and every snapshot a branch or tag references (Iceberg's own rules). The expiry
 * commits without deleting anything; then only the files reachable before and unreachable after are deleted, each
 * logged. Both sets are sorted through {@link PathSpill}s and merge-joined, so memory does not grow with the number
 * of files in the table's history.
 *
 * <p>Then, also when no snapshot expired, metadata JSON files that fell off the metadata log and were never deleted
 * ({@link StaleMetadataFiles}) are deleted, only when the table has Iceberg's own
 * {@code write.metadata.delete-after-commit.enabled=true}: that switch is the opt-in, since without it Iceberg
 * itself keeps every earlier metadata file. Only files older than the orphan age ({@code orphan_file_age_days},
 * never under the executor's floor) go. A FileIO that cannot list skips this part and says so in the result.
 *
 * <p>Refused, as a whole, when {@code gc.enabled=false}: by the preview here, and by the executor before any engine
 * runs the action ({@link #requireGc}).
 */
final class SnapshotExpiry {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotExpiry.class);

    private SnapshotExpiry() {
    }

    private static ExpireSnapshots expiry(Table table, TableSettings options, Instant now) {
        return table.expireSnapshots()
                .expireOlderThan(cutoff(options, now))
                .retainLast(options.minSnapshotsToKeep())
                .cleanupLevel(ExpireSnapshots.CleanupLevel.NONE);
    }

    /** {@code now} minus the maximum age, never before the epoch (a huge table property expires nothing). */
    static long cutoff(TableSettings options, Instant now) {
        long nowMillis = now.toEpochMilli();
        long age;
        try {
            age = options.maxSnapshotAge().toMillis();
        } catch (ArithmeticException e) {
            age = Long.MAX_VALUE;
        }
        return age >= nowMillis ? 0 : nowMillis - age;
    }

    static void requireGc(Table table, String action) {
        if (!PropertyUtil.propertyAsBoolean(table.properties(), TableProperties.GC_ENABLED,
                TableProperties.GC_ENABLED_DEFAULT)) {
            throw ActionFailedException.permanentFailure(action + " refused: the table has gc.enabled=false, so "
                    + "Snowpack never deletes its files", null);
        }
    }

    /** {@code metadataAge}: metadata files off the log younger than this are kept (the orphan age). */
    static ActionResult preview(Table table, TableSettings options, Duration metadataAge, Instant now) {
        requireGc(table, "expire_snapshots");
        List<Snapshot> expiring = expiry(table, options, now).apply();
        StaleMetadataFiles stale = StaleMetadataFiles.find(table, metadataAge, now);
        String metadata = stale.skipped() != null ? stale.skipped()
                : "would delete " + stale.files().size() + " metadata files off the metadata log older than "
                        + metadataAge.toHours() + " h";
        return ActionResult.succeeded(MaintenanceAction.EXPIRE_SNAPSHOTS, "Would expire "
                        + Counts.of(expiring.size(), "snapshot") + " older than " + options.maxSnapshotAge().toDays() + " days; " + metadata, 0,
                Map.of("snapshots_to_expire", (long) expiring.size(),
                        "metadata_files_to_delete", (long) stale.files().size()));
    }

    /** {@code metadataAge}: metadata files off the log younger than this are kept (the orphan age). */
    static ActionResult execute(Table table, ActionRequest request, Checkpoint checkpoint, TableSettings options,
            Duration metadataAge, Instant now) {
        long begin = System.nanoTime();
        ExpireSnapshots expiry = expiry(table, options, now);
        int expired = expiry.apply().size();
        long deleted = expired == 0 ? 0 : expire(table, expiry, checkpoint, expired);
        checkpoint.check();
        StaleMetadataFiles stale = StaleMetadataFiles.find(table, metadataAge, now);
        long metadataDeleted = stale.delete(table);
        String metadata = stale.skipped() != null ? stale.skipped()
                : "deleted " + metadataDeleted + " metadata files off the metadata log";
        return ActionResult.succeeded(request.action(), "Expired " + Counts.of(expired, "snapshot") + "; " + metadata,
                seconds(begin), Map.of("snapshots_expired", (long) expired, "files_deleted", deleted,
                        "metadata_files_deleted", metadataDeleted));
    }

    /** Commits {@code expiry} and deletes the files it made unreachable; returns how many. */
    private static long expire(Table table, ExpireSnapshots expiry, Checkpoint checkpoint, int expired) {
        long[] deleted = {0};
        try (PathSpill before = new PathSpill("expiry-before"); PathSpill after = new PathSpill("expiry-after")) {
            Reachability.snapshotFiles(table, before);
            checkpoint.check();
            expiry.commit();
            table.refresh();
            Reachability.snapshotFiles(table, after);
            PathSpill.join(before, after, unreachable -> {
                String path = unreachable.location(); // as the metadata spells it, scheme and bucket included
                table.io().deleteFile(path);
                deleted[0]++;
                LOG.debug("Deleted {}, unreachable after the expiry", path);
            }, stillReachable -> { });
        }
        LOG.info("Expired {} snapshots of {} and deleted {} unreachable files", expired, table.name(), deleted[0]);
        return deleted[0];
    }

    private static double seconds(long begin) {
        return (System.nanoTime() - begin) / 1e9;
    }
}
