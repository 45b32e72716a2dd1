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
 * The candidates are checked again against freshly loaded metadata right before deleting. The referenced files,
 * the listing and the candidates are sorted through {@link PathSpill}s and merge-joined, so memory does not grow
 * with the number of files. Refused when the FileIO cannot list, when {@code gc.enabled=false}, or when any other
 * table of the catalog lives or writes inside this table's location ({@link TableLocations}).
 */
final class OrphanCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanCleanup.class);
    /** Example paths named in a preview. */
    static final int EXAMPLES = 3;
    /** Listed files between two progress lines. */
    private static final long LIST_PROGRESS_EVERY = 1_000_000;

    private OrphanCleanup() {
    }

    /**
     * The orphan candidates now: unreferenced files older than the threshold, sorted by path in a {@link PathSpill}
     * (so a table with millions of them is no memory problem), with their count, bytes and the first few paths.
     * Closing it deletes its temporary files.
     */
    static final class Candidates implements AutoCloseable {
        private final PathSpill files;
        private final Duration age;
        private final List<String> examples = new ArrayList<>();
        private long count;
        private long bytes;

        private Candidates(Duration age) {
            this.files = new PathSpill("orphans");
            this.age = age;
        }

        private void add(PathSpill.Entry file) {
            files.add(file);
            count++;
            bytes += file.size();
            if (examples.size() < EXAMPLES) {
                examples.add(file.location());
            }
        }

        long count() {
            return count;
        }

        long bytes() {
            return bytes;
        }

        Duration age() {
            return age;
        }

        /** The first {@link #EXAMPLES} candidates' locations, in path order. */
        List<String> examples() {
            return examples;
        }

        @Override
        public void close() {
            files.close();
        }
    }

    /**
     * Refuses removal on a table with {@code gc.enabled=false} or whose location holds another table of the catalog
     * (its files would all look orphaned). The executor calls it before any engine runs the action; previews call
     * it here.
     */
    static void refuseUnsafe(Catalog catalog, TableId id, Table table) {
        SnapshotExpiry.requireGc(table, "remove_orphan_files");
        TableLocations.refuseTablesInside(catalog, Tables.identifier(id), table);
    }

    /** The candidates; the caller has called {@link #refuseUnsafe} (loading every table of the catalog once). */
    static Candidates find(Catalog catalog, TableId id, Table table, Duration age, Instant now) {
        if (!(table.io() instanceof SupportsPrefixOperations listing)) {
            throw ActionFailedException.permanentFailure("remove_orphan_files refused: the table's FileIO ("
                    + table.io().getClass().getSimpleName() + ") cannot list files", null);
        }
        long cutoff = now.minus(age).toEpochMilli();
        String directory = TableLocations.asDirectory(table.location());
        String under = TableLocations.asDirectory(Reachability.normalize(table.location()));
        Candidates candidates = new Candidates(age);
        try (PathSpill referenced = new PathSpill("referenced"); PathSpill old = new PathSpill("listed")) {
            Reachability.allFiles(table, referenced);
            long listed = 0;
            for (FileInfo file : listing.listPrefix(directory)) {
                String path = Reachability.normalize(file.location());
                if (!path.startsWith(under)) {
                    continue; // an object store lists by raw prefix: never trust it to stay inside the table
                }
                if (file.createdAtMillis() < cutoff) {
                    old.add(path, file.location(), file.size());
                }
                if (++listed % LIST_PROGRESS_EVERY == 0) {
                    LOG.info("Listing {}: {} files so far, {} older than the threshold", table.name(), listed,
                            old.added());
                }
            }
            PathSpill.join(old, referenced, candidates::add, stillReferenced -> { });
            LOG.info("Listed {} files under {}: {} older than the threshold, {} of them unreferenced", listed,
                    directory, old.added(), candidates.count());
            return candidates;
        } catch (RuntimeException e) {
            candidates.close();
            throw e;
        }
    }

    static ActionResult preview(Catalog catalog, TableId id, Table table, Duration age, Instant now) {
        refuseUnsafe(catalog, id, table);
        try (Candidates candidates = find(catalog, id, table, age, now)) {
            List<String> examples = candidates.examples();
            return ActionResult.succeeded(MaintenanceAction.REMOVE_ORPHAN_FILES, "Would delete "
                    + candidates.count() + " orphan files (" + candidates.bytes() + " bytes) older than "
                    + candidates.age().toHours() + " h" + (examples.isEmpty() ? "" : ", e.g. " + examples), 0,
                    Map.of("orphan_files", candidates.count(), "orphan_bytes", candidates.bytes()));
        }
    }

    static ActionResult execute(Catalog catalog, TableId id, Table table, ActionRequest request,
            Checkpoint checkpoint, Duration age, Instant now) {
        long begin = System.nanoTime();
        long[] deleted = {0, 0}; // files, bytes
        try (Candidates candidates = find(catalog, id, table, age, now)) {
            checkpoint.check();
            Table fresh = Tables.load(catalog, id);
            try (PathSpill referenced = new PathSpill("referenced-now")) {
                Reachability.allFiles(fresh, referenced);
                PathSpill.join(candidates.files, referenced, file -> {
                    fresh.io().deleteFile(file.location());
                    deleted[0]++;
                    deleted[1] += file.size();
                    LOG.info("Deleted orphan file {} ({} bytes)", file.location(), file.size());
                }, file -> LOG.warn("Kept {}: a commit made since the listing references it", file.location()));
            }
        }
        long bytes = deleted[1];
        return ActionResult.succeeded(request.action(), "Deleted " + deleted[0] + " orphan files (" + bytes
                + " bytes)", (System.nanoTime() - begin) / 1e9, Map.of("orphan_files_deleted", deleted[0],
                "orphan_bytes_deleted", bytes));
    }
}
