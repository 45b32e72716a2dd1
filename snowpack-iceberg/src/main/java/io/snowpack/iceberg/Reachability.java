package io.snowpack.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every file a table's metadata references: content files, manifests and manifest lists of every snapshot, and
 * (optionally) metadata JSON files, the version hint and statistics files. Locations are normalised to their path
 * so {@code file:/x} and {@code file:///x} compare equal. The files are streamed into a {@link PathSpill}, which
 * keeps its memory bounded however many files the table's history holds; only the set of manifest paths already
 * read is kept in memory (one entry per manifest, not per file).
 */
final class Reachability {
    private static final Logger LOG = LoggerFactory.getLogger(Reachability.class);
    /** Files between two progress lines of a long walk. */
    private static final long PROGRESS_EVERY = 1_000_000;

    private Reachability() {
    }

    /**
     * Adds the content files, manifests and manifest lists of every snapshot still in the metadata to
     * {@code files}, each with its location as the metadata spells it: what a FileIO can delete. An object store's
     * FileIO refuses the bare normalised path ({@code S3FileIO}: "Invalid S3 URI").
     */
    static void snapshotFiles(Table table, PathSpill files) {
        Set<String> seenManifests = new HashSet<>();
        long before = files.added();
        for (Snapshot snapshot : table.snapshots()) {
            if (snapshot.manifestListLocation() != null) {
                add(files, snapshot.manifestListLocation());
            }
            for (ManifestFile manifest : snapshot.allManifests(table.io())) {
                String path = normalize(manifest.path());
                if (seenManifests.add(path)) {
                    files.add(path, manifest.path(), -1);
                    addContentFiles(table, manifest, files);
                }
            }
        }
        LOG.info("Read {} manifests of {}: {} file references", seenManifests.size(), table.name(),
                files.added() - before);
    }

    /** {@link #snapshotFiles} plus metadata JSON files, the version hint and statistics files. */
    static void allFiles(Table table, PathSpill files) {
        snapshotFiles(table, files);
        ReachableFileUtil.metadataFileLocations(table, true).forEach(l -> add(files, l));
        ReachableFileUtil.statisticsFilesLocations(table).forEach(l -> add(files, l));
        add(files, ReachableFileUtil.versionHintLocation(table));
    }

    private static void add(PathSpill files, String location) {
        files.add(normalize(location), location, -1);
    }

    private static void addContentFiles(Table table, ManifestFile manifest, PathSpill files) {
        try (ManifestReader<? extends ContentFile<?>> reader = manifest.content() == ManifestContent.DATA
                ? ManifestFiles.read(manifest, table.io(), table.specs())
                : ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
            for (ContentFile<?> file : reader) {
                add(files, file.location());
                if (files.added() % PROGRESS_EVERY == 0) {
                    LOG.info("Walking {}: {} file references so far", table.name(), files.added());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read manifest " + manifest.path(), e);
        }
    }

    /** The path part of a location: scheme and authority differences do not make two files different. */
    static String normalize(String location) {
        try {
            String path = URI.create(location.replace(" ", "%20")).getPath();
            return path == null || path.isEmpty() ? location : path.replace("//", "/");
        } catch (IllegalArgumentException e) {
            return location;
        }
    }
}
