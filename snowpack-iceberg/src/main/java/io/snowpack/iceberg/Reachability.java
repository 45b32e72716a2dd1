package io.snowpack.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Every file a table's metadata references: content files, manifests and manifest lists of every snapshot, and
 * (optionally) metadata JSON files, the version hint and statistics files. Locations are normalised to their path
 * so {@code file:/x} and {@code file:///x} compare equal.
 */
final class Reachability {
    private Reachability() {
    }

    /** Content files, manifests and manifest lists of every snapshot still in the metadata. */
    static Set<String> snapshotFiles(Table table) {
        return new HashSet<>(snapshotFileLocations(table).keySet());
    }

    /**
     * {@link #snapshotFiles} with each file's location as the metadata spells it: what a FileIO can delete. An
     * object store's FileIO refuses the bare normalised path ({@code S3FileIO}: "Invalid S3 URI").
     */
    static Map<String, String> snapshotFileLocations(Table table) {
        Map<String, String> files = new HashMap<>();
        Set<String> seenManifests = new HashSet<>();
        for (Snapshot snapshot : table.snapshots()) {
            if (snapshot.manifestListLocation() != null) {
                files.putIfAbsent(normalize(snapshot.manifestListLocation()), snapshot.manifestListLocation());
            }
            for (ManifestFile manifest : snapshot.allManifests(table.io())) {
                String path = normalize(manifest.path());
                files.putIfAbsent(path, manifest.path());
                if (seenManifests.add(path)) {
                    addContentFiles(table, manifest, files);
                }
            }
        }
        return files;
    }

    /** {@link #snapshotFiles} plus metadata JSON files, the version hint and statistics files. */
    static Set<String> allFiles(Table table) {
        Set<String> files = snapshotFiles(table);
        ReachableFileUtil.metadataFileLocations(table, true).forEach(l -> files.add(normalize(l)));
        ReachableFileUtil.statisticsFilesLocations(table).forEach(l -> files.add(normalize(l)));
        files.add(normalize(ReachableFileUtil.versionHintLocation(table)));
        return files;
    }

    private static void addContentFiles(Table table, ManifestFile manifest, Map<String, String> files) {
        try (ManifestReader<? extends ContentFile<?>> reader = manifest.content() == ManifestContent.DATA
                ? ManifestFiles.read(manifest, table.io(), table.specs())
                : ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
            for (ContentFile<?> file : reader) {
                files.putIfAbsent(normalize(file.location()), file.location());
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
