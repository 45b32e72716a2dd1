package io.snowpack.iceberg;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.policy.MaintenancePolicy;
import io.snowpack.core.policy.TableProperties;
import io.snowpack.core.policy.TableSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.util.ContentFileUtil;

/**
 * Measures one table from its metadata: the metadata file's size and its metadata log, the snapshot list and
 * manifest list, then each manifest streamed once for file sizes and delete counts, several manifests at once
 * ({@link ManifestFanOut}, {@code health_sync.manifest_concurrency}). Only counters live across manifests: each
 * manifest's counts are added to the table's totals as it ends; nothing is kept afterwards. The totals do not depend
 * on the order or parallelism of the reads.
 */
final class HealthReader {
    private final SnowpackConfig config;
    private final MaintenancePolicy policy;
    private final ManifestFanOut manifests;

    HealthReader(SnowpackConfig config) {
        this.config = config;
        this.policy = MaintenancePolicy.standard(config);
        this.manifests = new ManifestFanOut(config.healthSyncManifestConcurrency());
    }

    TableHealth read(TableId id, Table table, Instant now) {
        TableMetadata metadata = ((HasTableOperations) table).operations().current();
        TableSettings options = TableSettings.resolve(table.properties(), config);
        TableHealth.Builder health = TableHealth.builder(id)
                .formatVersion(metadata.formatVersion())
                .metadataFileSizeBytes(fileSize(table, metadata.metadataFileLocation()))
                .previousMetadataFiles(metadata.previousFiles().size())
                .properties(maintenanceProperties(table.properties()))
                .syncedAt(now);
        options.problems().forEach(health::propertyProblem);
        health.snapshots(count(table));
        long oldest = Long.MAX_VALUE;
        for (Snapshot snapshot : table.snapshots()) {
            oldest = Math.min(oldest, snapshot.timestampMillis());
        }
        if (oldest != Long.MAX_VALUE) {
            health.oldestSnapshotAt(Instant.ofEpochMilli(oldest));
        }
        Snapshot current = table.currentSnapshot();
        long deletedRows = 0;
        long records = 0;
        if (current != null) {
            Counts counts = new Counts();
            manifests.forEach(current.allManifests(table.io()), manifest -> {
                Counts one = new Counts();
                if (manifest.content() == ManifestContent.DATA) {
                    one.dataManifests++;
                    readData(table, manifest, options, one);
                } else {
                    one.deleteManifests++;
                    readDeletes(table, manifest, one);
                }
                counts.add(one);
            });
            health.dataFiles(counts.dataFiles).smallFiles(counts.smallFiles)
                    .averageFileSizeBytes(counts.dataFiles == 0 ? 0 : counts.dataBytes / counts.dataFiles)
                    .positionDeleteFiles(counts.positionDeleteFiles).equalityDeleteFiles(counts.equalityDeleteFiles)
                    .deletionVectors(counts.deletionVectors)
                    .totalRecords(counts.records).totalBytes(counts.dataBytes + counts.deleteBytes)
                    .dataManifests(counts.dataManifests).deleteManifests(counts.deleteManifests);
            deletedRows = counts.positionDeletes;
            records = counts.records;
        }
        TableHealth measured = health.build();
        TableHealth.Builder withReasons = measured.toBuilder()
                .reasons(policy.thresholdsCrossed(measured, now));
        if (records > 0 && deletedRows > 0
                && (double) deletedRows / records >= options.rewriteDataDeleteRatioThreshold()
                && measured.reasons().stream().noneMatch(r -> r.startsWith("rewrite_data_files:"))) {
            withReasons.reason(String.format(Locale.ROOT,
                    "rewrite_data_files: %.0f%% of rows deleted >= rewrite_data_delete_ratio_threshold %.2f",
                    100.0 * deletedRows / records, options.rewriteDataDeleteRatioThreshold()));
        }
        return withReasons.build();
    }

    private static int count(Table table) {
        int n = 0;
        for (Snapshot ignored : table.snapshots()) {
            n++;
        }
        return n;
    }

    private static void readData(Table table, ManifestFile manifest, TableSettings options, Counts counts) {
        try (ManifestReader<DataFile> reader = ManifestFiles.read(manifest, table.io(), table.specs())) {
            for (DataFile file : reader) {
                counts.dataFiles++;
                counts.dataBytes += file.fileSizeInBytes();
                counts.records += file.recordCount();
                if (file.fileSizeInBytes() < smallFileBytes(options)) {
                    counts.smallFiles++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read manifest " + manifest.path(), e);
        }
    }

    private static void readDeletes(Table table, ManifestFile manifest, Counts counts) {
        try (ManifestReader<DeleteFile> reader = ManifestFiles.readDeleteManifest(manifest, table.io(),
                table.specs())) {
            for (DeleteFile file : reader) {
                counts.deleteBytes += file.fileSizeInBytes();
                if (file.content() == FileContent.POSITION_DELETES) {
                    counts.positionDeletes += file.recordCount();
                    if (ContentFileUtil.isDV(file)) {
                        counts.deletionVectors++;
                    } else {
                        counts.positionDeleteFiles++;
                    }
                } else {
                    counts.equalityDeleteFiles++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read delete manifest " + manifest.path(), e);
        }
    }

    /** Files below this size count as small: 0.75 × the target, as Iceberg's bin-pack planner decides. */
    static long smallFileBytes(TableSettings options) {
        return (long) (options.targetFileSizeBytes() * 0.75);
    }

    private static long fileSize(Table table, String location) {
        try {
            return location == null ? 0 : table.io().newInputFile(location).getLength();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * The {@code snowpack.*} properties and the Iceberg ones they fall back to: the policy reads the cached health
     * with the same resolver as the executor reads the table, so both must see the same keys.
     */
    private static Map<String, String> maintenanceProperties(Map<String, String> properties) {
        Map<String, String> snowpack = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith("snowpack.") || TableProperties.ICEBERG_FALLBACKS.contains(k)) {
                snowpack.put(k, v);
            }
        });
        return snowpack;
    }

    /** Totals over the manifests of one snapshot (or the counts of one manifest, added to them when read). */
    private static final class Counts {
        long dataFiles;
        long smallFiles;
        long dataBytes;
        long records;
        long positionDeleteFiles;
        long equalityDeleteFiles;
        long deletionVectors;
        long positionDeletes;
        long deleteBytes;
        int dataManifests;
        int deleteManifests;

        /** Adds {@code one}'s counts; called from the threads reading manifests, so the reads see whole sums. */
        synchronized void add(Counts one) {
            dataFiles += one.dataFiles;
            smallFiles += one.smallFiles;
            dataBytes += one.dataBytes;
            records += one.records;
            positionDeleteFiles += one.positionDeleteFiles;
            equalityDeleteFiles += one.equalityDeleteFiles;
            deletionVectors += one.deletionVectors;
            positionDeletes += one.positionDeletes;
            deleteBytes += one.deleteBytes;
            dataManifests += one.dataManifests;
            deleteManifests += one.deleteManifests;
        }
    }
}
