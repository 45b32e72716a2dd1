package io.snowpack.iceberg;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.policy.TableSettings;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
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
 * of files in the table's history. Refused when {@code gc.enabled=false}.
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
    private static long cutoff(TableSettings options, Instant now) {
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

    static ActionResult preview(Table table, TableSettings options, Instant now) {
        requireGc(table, "expire_snapshots");
        List<Snapshot> expiring = expiry(table, options, now).apply();
        return ActionResult.succeeded(MaintenanceAction.EXPIRE_SNAPSHOTS, "Would expire " + expiring.size()
                        + " snapshots older than " + options.maxSnapshotAge().toDays() + " days", 0,
                Map.of("snapshots_to_expire", (long) expiring.size()));
    }

    static ActionResult execute(Table table, ActionRequest request, Checkpoint checkpoint, TableSettings options,
            Instant now) {
        long begin = System.nanoTime();
        requireGc(table, request.action().wireName());
        ExpireSnapshots expiry = expiry(table, options, now);
        int expired = expiry.apply().size();
        if (expired == 0) {
            return ActionResult.succeeded(request.action(), "Expired 0 snapshots", seconds(begin),
                    Map.of("snapshots_expired", 0L, "files_deleted", 0L));
        }
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
        return ActionResult.succeeded(request.action(), "Expired " + expired + " snapshots", seconds(begin),
                Map.of("snapshots_expired", (long) expired, "files_deleted", deleted[0]));
    }

    private static double seconds(long begin) {
        return (System.nanoTime() - begin) / 1e9;
    }
}
