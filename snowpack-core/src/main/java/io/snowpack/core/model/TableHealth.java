package io.snowpack.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A table's health as read from its Iceberg metadata at {@code syncedAt}: file, delete, snapshot and manifest
 * counts and sizes, the size of its metadata file and how many earlier ones its metadata log lists, the table's
 * {@code snowpack.*} properties with any problems found in them, and the reasons it needs maintenance (none when
 * healthy). Build one with {@link #builder(TableId)}.
 *
 * @param table                 the table measured
 * @param dataFiles             live data files
 * @param smallFiles            live data files below the small-file threshold
 * @param averageFileSizeBytes  mean size of live data files, 0 when there are none
 * @param positionDeleteFiles   live position-delete files (and deletion vectors)
 * @param equalityDeleteFiles   live equality-delete files
 * @param deletionVectors       live deletion vectors (format v3): at most one per data file, not counted in
 *                              {@code positionDeleteFiles}. 0 in health cached by versions that did not measure it.
 * @param totalRecords          records in live data files
 * @param totalBytes            bytes of live data and delete files
 * @param snapshots             snapshots in the metadata
 * @param oldestSnapshotAt      commit time of the oldest snapshot, or {@code null} without snapshots
 * @param dataManifests         data manifests of the current snapshot
 * @param deleteManifests       delete manifests of the current snapshot
 * @param metadataFileSizeBytes size of the current metadata JSON file
 * @param previousMetadataFiles earlier metadata JSON files still listed in the current one's metadata log (at most
 *                              {@code write.metadata.previous-versions-max}, 100 by default); they stay on storage
 *                              unless {@code write.metadata.delete-after-commit.enabled} is set. 0 in health cached
 *                              by versions that did not measure it.
 * @param formatVersion         Iceberg format version (1, 2 or 3)
 * @param properties            the table's {@code snowpack.*} properties and the Iceberg properties Snowpack reads
 *                              ({@code write.target-file-size-bytes}, {@code history.expire.*},
 *                              {@code write.metadata.previous-versions-max},
 *                              {@code write.metadata.delete-after-commit.enabled}), sorted by key
 * @param propertyProblems      unknown {@code snowpack.*} keys and unparsable values, one message each
 * @param reasons               one reason per maintenance threshold crossed; empty when healthy
 * @param syncedAt              when this health was computed
 */
public record TableHealth(
        TableId table,
        long dataFiles,
        long smallFiles,
        long averageFileSizeBytes,
        long positionDeleteFiles,
        long equalityDeleteFiles,
        long deletionVectors,
        long totalRecords,
        long totalBytes,
        int snapshots,
        Instant oldestSnapshotAt,
        int dataManifests,
        int deleteManifests,
        long metadataFileSizeBytes,
        int previousMetadataFiles,
        int formatVersion,
        Map<String, String> properties,
        List<String> propertyProblems,
        List<String> reasons,
        Instant syncedAt) {

    /** Table property that opts a table in to (or out of) automatic maintenance. */
    public static final String MAINTENANCE_ENABLED_PROPERTY = "snowpack.maintenance_enabled";

    public TableHealth {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(syncedAt, "syncedAt");
        requireNonNegative("dataFiles", dataFiles);
        requireNonNegative("smallFiles", smallFiles);
        requireNonNegative("averageFileSizeBytes", averageFileSizeBytes);
        requireNonNegative("positionDeleteFiles", positionDeleteFiles);
        requireNonNegative("equalityDeleteFiles", equalityDeleteFiles);
        requireNonNegative("totalRecords", totalRecords);
        requireNonNegative("totalBytes", totalBytes);
        requireNonNegative("snapshots", snapshots);
        requireNonNegative("dataManifests", dataManifests);
        requireNonNegative("deleteManifests", deleteManifests);
        requireNonNegative("metadataFileSizeBytes", metadataFileSizeBytes);
        requireNonNegative("previousMetadataFiles", previousMetadataFiles);
        requireNonNegative("deletionVectors", deletionVectors);
        if (smallFiles > dataFiles) {
            throw new IllegalArgumentException(
                    "smallFiles (" + smallFiles + ") cannot exceed dataFiles (" + dataFiles + ")");
        }
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(properties));
        propertyProblems = propertyProblems == null ? List.of() : List.copyOf(propertyProblems);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** A builder with every count at zero. */
    public static Builder builder(TableId table) {
        return new Builder(table);
    }

    /** A builder holding this health's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@code true} when at least one maintenance threshold is crossed. */
    public boolean needsMaintenance() {
        return !reasons.isEmpty();
    }

    /**
     * {@code true} when the table's {@code snowpack.maintenance_enabled} property is {@code true} (any case).
     * This is the property as set, not the orchestrator's decision, which also depends on the opt-in mode.
     */
    public boolean maintenanceEnabled() {
        return "true".equalsIgnoreCase(properties.getOrDefault(MAINTENANCE_ENABLED_PROPERTY, "").trim());
    }

    /** Age of the oldest snapshot at {@code syncedAt}, when the table has snapshots. */
    public Optional<Duration> oldestSnapshotAge() {
        return Optional.ofNullable(oldestSnapshotAt).map(oldest -> Duration.between(oldest, syncedAt));
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    /** Mutable builder of {@link TableHealth}; not thread-safe. */
    public static final class Builder {
        private final TableId table;
        private long dataFiles;
        private long smallFiles;
        private long averageFileSizeBytes;
        private long positionDeleteFiles;
        private long equalityDeleteFiles;
        private long totalRecords;
        private long totalBytes;
        private int snapshots;
        private Instant oldestSnapshotAt;
        private int dataManifests;
        private int deleteManifests;
        private long metadataFileSizeBytes;
        private int previousMetadataFiles;
        private long deletionVectors;
        private int formatVersion = 2;
        private Map<String, String> properties = new TreeMap<>();
        private final List<String> propertyProblems = new ArrayList<>();
        private final List<String> reasons = new ArrayList<>();
        private Instant syncedAt;

        private Builder(TableId table) {
            this.table = Objects.requireNonNull(table, "table");
        }

        private Builder(TableHealth h) {
            this(h.table);
            dataFiles = h.dataFiles;
            smallFiles = h.smallFiles;
            averageFileSizeBytes = h.averageFileSizeBytes;
            positionDeleteFiles = h.positionDeleteFiles;
            equalityDeleteFiles = h.equalityDeleteFiles;
            totalRecords = h.totalRecords;
            totalBytes = h.totalBytes;
            snapshots = h.snapshots;
            oldestSnapshotAt = h.oldestSnapshotAt;
            dataManifests = h.dataManifests;
            deleteManifests = h.deleteManifests;
            metadataFileSizeBytes = h.metadataFileSizeBytes;
            previousMetadataFiles = h.previousMetadataFiles;
            deletionVectors = h.deletionVectors;
            formatVersion = h.formatVersion;
            properties = new TreeMap<>(h.properties);
            propertyProblems.addAll(h.propertyProblems);
            reasons.addAll(h.reasons);
            syncedAt = h.syncedAt;
        }

        public Builder dataFiles(long value) { dataFiles = value; return this; }
        public Builder smallFiles(long value) { smallFiles = value; return this; }
        public Builder averageFileSizeBytes(long value) { averageFileSizeBytes = value; return this; }
        public Builder positionDeleteFiles(long value) { positionDeleteFiles = value; return this; }
        public Builder equalityDeleteFiles(long value) { equalityDeleteFiles = value; return this; }
        public Builder totalRecords(long value) { totalRecords = value; return this; }
        public Builder totalBytes(long value) { totalBytes = value; return this; }
        public Builder snapshots(int value) { snapshots = value; return this; }
        public Builder oldestSnapshotAt(Instant value) { oldestSnapshotAt = value; return this; }
        public Builder dataManifests(int value) { dataManifests = value; return this; }
        public Builder deleteManifests(int value) { deleteManifests = value; return this; }
        public Builder metadataFileSizeBytes(long value) { metadataFileSizeBytes = value; return this; }
        public Builder previousMetadataFiles(int value) { previousMetadataFiles = value; return this; }
        public Builder deletionVectors(long value) { deletionVectors = value; return this; }
        public Builder formatVersion(int value) { formatVersion = value; return this; }
        public Builder syncedAt(Instant value) { syncedAt = value; return this; }

        /** Replaces the {@code snowpack.*} properties. */
        public Builder properties(Map<String, String> value) {
            properties = new TreeMap<>(value);
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder propertyProblem(String problem) {
            propertyProblems.add(Objects.requireNonNull(problem, "problem"));
            return this;
        }

        /** Adds one reason the table needs maintenance. */
        public Builder reason(String reason) {
            reasons.add(Objects.requireNonNull(reason, "reason"));
            return this;
        }

        /** Replaces the reasons. */
        public Builder reasons(List<String> value) {
            reasons.clear();
            reasons.addAll(value);
            return this;
        }

        public TableHealth build() {
            return new TableHealth(table, dataFiles, smallFiles, averageFileSizeBytes, positionDeleteFiles,
                    equalityDeleteFiles, deletionVectors, totalRecords, totalBytes, snapshots, oldestSnapshotAt, dataManifests,
                    deleteManifests, metadataFileSizeBytes, previousMetadataFiles, formatVersion, properties,
                    propertyProblems, reasons, syncedAt);
        }
    }
}
