package io.snowpack.iceberg;

import io.snowpack.core.spi.ActionRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.InternalData;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.ManifestWriter;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteManifests;
import org.apache.iceberg.RollingManifestWriter;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.CloseableIterator;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the small delete manifests of a format v2 or v3 table, which Iceberg's {@link RewriteManifests} never rewrites
 * by itself: per partition spec with at least two delete manifests under the target size, their live entries are
 * copied into new delete manifests (rolling at the target size) as existing entries that keep each entry's snapshot
 * id, data sequence number and file sequence number (and, for a deletion vector, its data file, offset and size), so
 * no delete applies to more or fewer rows than before. The
 * new manifests are handed to a {@link RewriteManifests} as added manifests and the old ones as deleted manifests;
 * Iceberg checks at commit that both hold the same number of live files and that the old ones are still current.
 *
 * <p>Encrypted manifests are left alone. Each new manifest has a name of its
 * own (job, attempt, random id), so a retry never overwrites a committed one.
 */
final class DeleteManifestRewrite {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteManifestRewrite.class);
    /** Manifest entry fields (Iceberg spec ids): the entry's status and the snapshot that added its file. */
    private static final Schema ENTRY_HEADER = new Schema(
            Types.NestedField.required(0, "status", Types.IntegerType.get()),
            Types.NestedField.optional(1, "snapshot_id", Types.LongType.get()));
    private static final int DELETED = 2;

    private final Table table;
    private final ActionRequest request;
    private final long targetBytes;
    private final List<ManifestFile> replaced = new ArrayList<>();
    private final List<ManifestFile> added = new ArrayList<>();

    DeleteManifestRewrite(Table table, ActionRequest request, long targetBytes) {
        this.table = table;
        this.request = request;
        this.targetBytes = targetBytes;
    }

    /**
     * The small delete manifests of the current snapshot that a rewrite would merge, by partition spec id: only
     * specs with at least two of them; empty for format v1 tables (no delete manifests) and when any is encrypted.
     */
    static Map<Integer, List<ManifestFile>> candidates(Table table, long targetBytes) {
        Snapshot current = table.currentSnapshot();
        int formatVersion = ((HasTableOperations) table).operations().current().formatVersion();
        Map<Integer, List<ManifestFile>> bySpec = new TreeMap<>();
        if (current == null || formatVersion < 2) {
            return bySpec;
        }
        for (ManifestFile manifest : current.allManifests(table.io())) {
            if (manifest.content() == ManifestContent.DELETES && manifest.length() < targetBytes) {
                if (manifest.keyMetadata() != null) {
                    return new TreeMap<>();
                }
                bySpec.computeIfAbsent(manifest.partitionSpecId(), id -> new ArrayList<>()).add(manifest);
            }
        }
        bySpec.values().removeIf(manifests -> manifests.size() < 2);
        return bySpec;
    }

    /**
     * Writes the merged manifests of {@code candidates} and registers them, and the manifests they replace, on
     * {@code rewrite}. Nothing is committed here; on failure the caller calls {@link #deleteWritten()}.
     */
    void writeInto(Map<Integer, List<ManifestFile>> candidates, RewriteManifests rewrite) {
        for (Map.Entry<Integer, List<ManifestFile>> spec : candidates.entrySet()) {
            merge(table.specs().get(spec.getKey()), spec.getValue());
            replaced.addAll(spec.getValue());
        }
        replaced.forEach(rewrite::deleteManifest);
        added.forEach(rewrite::addManifest);
    }

    int replacedCount() {
        return replaced.size();
    }

    int addedCount() {
        return added.size();
    }

    /**
     * Deletes the manifests this rewrite wrote, for a commit that failed cleanly or never happened. Best effort: a
     * manifest that cannot be deleted is logged and left to orphan removal, so the failure that led here is the one
     * reported.
     */
    void deleteWritten() {
        for (ManifestFile manifest : added) {
            try {
                table.io().deleteFile(manifest.path());
            } catch (RuntimeException e) {
                LOG.warn("Cannot delete uncommitted delete manifest {}; orphan removal will", manifest.path(), e);
            }
        }
    }

    /** Writes the live entries of {@code manifests} into new manifests of {@code spec}, recorded in {@link #added}. */
    private void merge(PartitionSpec spec, List<ManifestFile> manifests) {
        TableOperations ops = ((HasTableOperations) table).operations();
        int formatVersion = ops.current().formatVersion();
        RollingManifestWriter<DeleteFile> writer = new RollingManifestWriter<>(
                () -> newWriter(ops, formatVersion, spec), targetBytes);
        try (writer) {
            for (ManifestFile manifest : manifests) {
                copyLiveEntries(manifest, writer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write merged delete manifests of " + table.name(), e);
        } finally {
            recordWritten(writer);
        }
    }

    /** Records what {@code writer} completed, also when it failed, so that {@link #deleteWritten()} finds it. */
    private void recordWritten(RollingManifestWriter<DeleteFile> writer) {
        try {
            added.addAll(writer.toManifestFiles());
        } catch (IllegalStateException notClosed) {
            // closing failed: the open manifest was never completed, and the closed ones are not listed
        }
    }

    private ManifestWriter<DeleteFile> newWriter(TableOperations ops, int formatVersion, PartitionSpec spec) {
        String name = FileFormat.AVRO.addExtension("snowpack-dm-" + request.jobId().value() + "-"
                + request.attempt() + "-" + UUID.randomUUID());
        return ManifestFiles.writeDeleteManifest(formatVersion, spec,
                NoOverwriteFileIO.wrap(table.io()).newOutputFile(ops.metadataFileLocation(name)), null);
    }

    /**
     * Copies the live entries of {@code manifest}: its delete files as Iceberg reads them (sequence numbers
     * resolved), zipped with the raw entries' status and snapshot id, which {@link DeleteFile} does not expose.
     */
    private void copyLiveEntries(ManifestFile manifest, RollingManifestWriter<DeleteFile> writer) throws IOException {
        try (ManifestReader<DeleteFile> files = ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs());
                CloseableIterable<StructLike> headers = InternalData.read(FileFormat.AVRO,
                        table.io().newInputFile(manifest.path())).project(ENTRY_HEADER).build();
                CloseableIterator<DeleteFile> live = files.iterator()) {
            Iterator<StructLike> entries = headers.iterator();
            while (live.hasNext()) {
                DeleteFile file = live.next();
                StructLike header = nextLive(entries, manifest);
                Long snapshotId = header.get(1, Long.class);
                writer.existing(file, snapshotId != null ? snapshotId : manifest.snapshotId(),
                        file.dataSequenceNumber(), file.fileSequenceNumber());
            }
            if (nextLiveOrNull(entries) != null) {
                throw new IllegalStateException("Delete manifest " + manifest.path()
                        + " has more live entries than Iceberg reads from it; not rewriting it");
            }
        }
    }

    private static StructLike nextLive(Iterator<StructLike> entries, ManifestFile manifest) {
        StructLike header = nextLiveOrNull(entries);
        if (header == null) {
            throw new IllegalStateException("Delete manifest " + manifest.path()
                    + " has fewer live entries than Iceberg reads from it; not rewriting it");
        }
        return header;
    }

    private static StructLike nextLiveOrNull(Iterator<StructLike> entries) {
        while (entries.hasNext()) {
            StructLike header = entries.next();
            if (header.get(0, Integer.class) != DELETED) {
                return header;
            }
        }
        return null;
    }
}
