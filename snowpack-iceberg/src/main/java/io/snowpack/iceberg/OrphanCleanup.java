package io.snowpack.iceberg;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code remove_orphan_files}: deletes files under the table location that no snapshot, manifest, manifest list,
 * metadata, version-hint or statistics file references and that are older than {@code orphan_file_age_days} (never
 * less than {@link IcebergMaintenanceExecutor#ORPHAN_AGE_FLOOR} unless an operator lowered the floor), so files
 * of a write still in flight survive. The location is listed as a directory (with a trailing {@code /}) and
 * anything listed outside it is dropped, so an object store's raw prefix listing never reaches a sibling table.
 * The candidates are checked again against freshly loaded metadata right before deleting. Refused when the
 * FileIO cannot list, when {@code gc.enabled=false}, or when any other table of the catalog lives or writes
 * inside this table's location ({@link TableLocations}).
 */
final class OrphanCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanCleanup.class);
    /** Example paths named in a preview. */
    static final int EXAMPLES = 3;

    private OrphanCleanup() {
    }

    /** The orphan candidates now: unreferenced files older than the threshold. */
    record Candidates(List<FileInfo> files, Duration age) {
        long bytes() {
            return files.stream().mapToLong(FileInfo::size).sum();
        }
    }

    static Candidates find(Catalog catalog, TableId id, Table table, Duration age, Instant now) {
        SnapshotExpiry.requireGc(table, "remove_orphan_files");
        if (!(table.io() instanceof SupportsPrefixOperations listing)) {
            throw ActionFailedException.permanentFailure("remove_orphan_files refused: the table's FileIO ("
                    + table.io().getClass().getSimpleName() + ") cannot list files", null);
        }
        TableLocations.refuseTablesInside(catalog, Tables.identifier(id), table);
        long cutoff = now.minus(age).toEpochMilli();
        Set<String> referenced = Reachability.allFiles(table);
        String directory = TableLocations.asDirectory(table.location());
        String under = TableLocations.asDirectory(Reachability.normalize(table.location()));
        List<FileInfo> orphans = new ArrayList<>();
        for (FileInfo file : listing.listPrefix(directory)) {
            String path = Reachability.normalize(file.location());
            if (!path.startsWith(under)) {
                continue; // an object store lists by raw prefix: never trust it to stay inside the table
            }
            if (file.createdAtMillis() < cutoff && !referenced.contains(path)) {
                orphans.add(file);
            }
        }
        return new Candidates(orphans, age);
    }

    static ActionResult preview(Catalog catalog, TableId id, Table table, Duration age, Instant now) {
        Candidates candidates = find(catalog, id, table, age, now);
        List<String> examples = candidates.files().stream().limit(EXAMPLES).map(FileInfo::location).toList();
        return ActionResult.succeeded(MaintenanceAction.REMOVE_ORPHAN_FILES, "Would delete "
                + candidates.files().size() + " orphan files (" + candidates.bytes() + " bytes) older than "
                + candidates.age().toHours() + " h" + (examples.isEmpty() ? "" : ", e.g. " + examples), 0,
                Map.of("orphan_files", (long) candidates.files().size(), "orphan_bytes", candidates.bytes()));
    }

    static ActionResult execute(Catalog catalog, TableId id, Table table, ActionRequest request,
            Checkpoint checkpoint, Duration age, Instant now) {
        long begin = System.nanoTime();
        Candidates candidates = find(catalog, id, table, age, now);
        checkpoint.check();
        Table fresh = Tables.load(catalog, id);
        Set<String> referenced = Reachability.allFiles(fresh);
        long deleted = 0;
        long bytes = 0;
        for (FileInfo file : candidates.files()) {
            if (referenced.contains(Reachability.normalize(file.location()))) {
                LOG.warn("Kept {}: a commit made since the listing references it", file.location());
                continue;
            }
            fresh.io().deleteFile(file.location());
            deleted++;
            bytes += file.size();
            LOG.info("Deleted orphan file {} ({} bytes)", file.location(), file.size());
        }
        return ActionResult.succeeded(request.action(), "Deleted " + deleted + " orphan files (" + bytes
                + " bytes)", (System.nanoTime() - begin) / 1e9, Map.of("orphan_files_deleted", deleted,
                "orphan_bytes_deleted", bytes));
    }
}
