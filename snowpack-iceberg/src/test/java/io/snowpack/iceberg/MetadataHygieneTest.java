package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.StopRequestedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataTask;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.MetadataTableType;
import org.apache.iceberg.MetadataTableUtils;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Metadata hygiene on real v2 tables (and v3, with deletion vectors): delete manifests merged by {@code rewrite_manifests} with every delete file,
 * sequence number and snapshot id kept; the metadata log counted by health; dangling delete files removed by a
 * {@code rewrite_data_files} that finds nothing to compact.
 */
class MetadataHygieneTest {
    @TempDir
    Path root;

    private Warehouse warehouse;
    private IcebergTableSource source;
    private IcebergMaintenanceExecutor executor;

    @BeforeEach
    void open() {
        warehouse = new Warehouse(root);
        source = IcebergTableSource.create(warehouse.catalog, SnowpackConfig.defaults());
        executor = IcebergMaintenanceExecutor.create(warehouse.catalog, SnowpackConfig.defaults());
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private static ActionRequest request(String table, MaintenanceAction action) {
        return new ActionRequest(JobId.random(), TableId.of("db", table), action, 1, 3);
    }

    /**
     * Spec 0 (by kind) and spec 1 (unpartitioned), each with position and equality deletes committed one by one:
     * at least two delete manifests per spec.
     */
    private Table tableWithDeletesInTwoSpecs(String name) {
        return tableWithDeletesInTwoSpecs(name, 2);
    }

    /** The same on format {@code formatVersion}; on v3 the position deletes are deletion vectors. */
    private Table tableWithDeletesInTwoSpecs(String name, int formatVersion) {
        // Without this, every commit merges the small delete manifests of the specs it does not write to.
        Table table = warehouse.create(name, Warehouse.BY_KIND, Map.of("commit.manifest-merge.enabled", "false",
                "format-version", Integer.toString(formatVersion)));
        List<DataFile> first = warehouse.append(table, 4, 10, "view", "click");
        warehouse.append(warehouse.load(name), 4, 10, "view", "click");
        warehouse.deletePositions(warehouse.load(name), first.get(0), 0, 3);
        warehouse.deletePositions(warehouse.load(name), first.get(1), 5);
        warehouse.deleteIds(warehouse.load(name), "view", 12, 13);
        warehouse.deleteIds(warehouse.load(name), "click", 31);
        warehouse.load(name).updateSpec().removeField("kind").commit();
        List<DataFile> second = warehouse.append(warehouse.load(name), 3, 10, "view", "click");
        warehouse.deletePositions(warehouse.load(name), second.get(0), 1);
        warehouse.deletePositions(warehouse.load(name), second.get(2), 2, 4);
        warehouse.deleteIds(warehouse.load(name), "view", 85, 2);
        warehouse.deleteIds(warehouse.load(name), "click", 100);
        warehouse.deletePositions(warehouse.load(name), first.get(2), 6);
        warehouse.deletePositions(warehouse.load(name), first.get(3), 9);
        warehouse.append(warehouse.load(name), 2, 10, "click");
        return warehouse.load(name);
    }

    @ParameterizedTest(name = "format v{0}")
    @ValueSource(ints = {2, 3})
    void rewriteManifestsMergesDeleteManifestsPerSpecAndKeepsEveryDeleteAndSequenceNumber(int formatVersion) {
        String name = "two_specs_v" + formatVersion;
        Table table = tableWithDeletesInTwoSpecs(name, formatVersion);
        List<String> rows = TableOracle.rows(table);
        Set<String> deletes = liveDeleteFiles(table);
        Map<String, Long> addedBy = entrySnapshotIds(table);
        List<ManifestFile> manifests = deleteManifests(table);
        long manifestsOfSpec0 = manifests.stream().filter(m -> m.partitionSpecId() == 0).count();
        assertThat(manifestsOfSpec0).isGreaterThanOrEqualTo(2);
        assertThat(manifests.size() - manifestsOfSpec0).isGreaterThanOrEqualTo(2);
        assertThat(deletes).hasSize(10);
        assertThat(deletes).filteredOn(d -> d.contains(" PUFFIN ")).as("deletion vectors on v3 only")
                .hasSize(formatVersion >= 3 ? 6 : 0);
        assertThat(rows).hasSize(130 - 12);
        assertThat(source.health(TableId.of("db", name)).deleteManifests()).isEqualTo(manifests.size());
        assertThat(executor.preview(TableId.of("db", name), MaintenanceAction.REWRITE_MANIFESTS).metrics())
                .containsEntry("delete_manifests_to_merge", (long) manifests.size());

        ActionRequest job = request(name, MaintenanceAction.REWRITE_MANIFESTS);
        ActionResult result = executor.execute(job, Checkpoint.none());

        Table after = warehouse.load(name);
        assertThat(result.metrics()).containsEntry("delete_manifests_in", (long) manifests.size())
                .containsEntry("delete_manifests_out", 2L)
                .containsEntry("manifests_in", 4L);
        assertThat(deleteManifests(after)).hasSize(2)
                .extracting(ManifestFile::partitionSpecId).containsExactlyInAnyOrder(0, 1);
        assertThat(after.currentSnapshot().summary()).containsEntry(CommitProperties.JOB_ID, job.jobId().value())
                .containsEntry(CommitProperties.ACTION, "rewrite_manifests");
        assertThat(TableOracle.rows(after)).isEqualTo(rows);
        assertThat(liveDeleteFiles(after)).isEqualTo(deletes);
        assertThat(entrySnapshotIds(after)).isEqualTo(addedBy);
        assertThat(source.health(TableId.of("db", name)).deleteManifests()).isEqualTo(2);

        ActionResult again = executor.execute(request(name, MaintenanceAction.REWRITE_MANIFESTS),
                Checkpoint.none());
        assertThat(again.metrics()).containsEntry("delete_manifests_in", 0L).containsEntry("manifests_in", 0L);
    }

    @Test
    void aStopBeforeTheCommitLeavesTheManifestsAndDeletesWhatItWrote() throws IOException {
        Table table = tableWithDeletesInTwoSpecs("stopped");
        long snapshot = table.currentSnapshot().snapshotId();
        Set<Path> before = metadataFiles(table);
        Checkpoint stop = () -> {
            throw new StopRequestedException("shutting down");
        };

        assertThatThrownBy(() -> executor.execute(request("stopped", MaintenanceAction.REWRITE_MANIFESTS), stop))
                .isInstanceOf(StopRequestedException.class);

        Table after = warehouse.load("stopped");
        assertThat(after.currentSnapshot().snapshotId()).isEqualTo(snapshot);
        assertThat(metadataFiles(after)).isEqualTo(before);
    }

    @Test
    void healthCountsTheMetadataLogAndMetadataFileSize() {
        Table kept = warehouse.create("kept", Warehouse.BY_KIND, Map.of());
        Table capped = warehouse.create("capped", Warehouse.BY_KIND,
                Map.of("write.metadata.previous-versions-max", "3"));
        for (int i = 0; i < 6; i++) {
            warehouse.append(warehouse.load("kept"), 1, 1, "view");
            warehouse.append(warehouse.load("capped"), 1, 1, "view");
        }

        TableHealth keptHealth = source.health(TableId.of("db", "kept"));
        TableHealth cappedHealth = source.health(TableId.of("db", "capped"));

        assertThat(keptHealth.previousMetadataFiles()).isEqualTo(6);
        assertThat(cappedHealth.previousMetadataFiles()).isEqualTo(3);
        assertThat(keptHealth.metadataFileSizeBytes()).isPositive();
        assertThat(kept.properties()).doesNotContainKey("write.metadata.previous-versions-max");
        assertThat(capped.properties()).containsEntry("write.metadata.previous-versions-max", "3");
    }

    @Test
    void rewriteDataFilesWithNothingToCompactRemovesDanglingDeletes() {
        Table table = warehouse.create("dangling", Warehouse.BY_KIND, Map.of());
        // ids 10 f .. 10 f + 9 in file f, kinds view, click, buy, view, click
        List<DataFile> files = warehouse.append(table, 5, 10, "view", "click", "buy");
        // One delete file for two data files: Iceberg itself drops a delete scoped to one file with that file. It
        // also drops deletes older than every data file of the table at each rewrite: the "buy" file stays.
        deletePositionsAcross(warehouse.load("dangling"), files.get(0), files.get(3));
        warehouse.deleteIds(warehouse.load("dangling"), "click", 10);
        rewriteAway(warehouse.load("dangling"), List.of(files.get(0), files.get(3)), "view");
        rewriteAway(warehouse.load("dangling"), List.of(files.get(1), files.get(4)), "click");
        Table before = warehouse.load("dangling");
        List<String> rows = TableOracle.rows(before);
        assertThat(rows).hasSize(50 - 3 - 1);
        TableHealth health = source.health(TableId.of("db", "dangling"));
        assertThat(health.positionDeleteFiles()).isEqualTo(1);
        assertThat(health.equalityDeleteFiles()).isEqualTo(1);

        ActionRequest job = request("dangling", MaintenanceAction.REWRITE_DATA_FILES);
        ActionResult result = executor.execute(job, Checkpoint.none());

        Table after = warehouse.load("dangling");
        assertThat(result.metrics()).containsEntry("groups", 0L)
                .containsEntry(DanglingDeleteCleanup.REMOVED, 2L);
        assertThat(TableOracle.rows(after)).isEqualTo(rows);
        assertThat(liveDeleteFiles(after)).isEmpty();
        assertThat(after.currentSnapshot().summary()).containsEntry(CommitProperties.JOB_ID, job.jobId().value())
                .containsEntry(CommitProperties.ACTION, "rewrite_data_files");
        TableHealth cleaned = source.health(TableId.of("db", "dangling"));
        assertThat(cleaned.positionDeleteFiles() + cleaned.equalityDeleteFiles()).isZero();

        long snapshot = after.currentSnapshot().snapshotId();
        ActionResult again = executor.execute(request("dangling", MaintenanceAction.REWRITE_DATA_FILES),
                Checkpoint.none());
        assertThat(again.metrics()).containsEntry(DanglingDeleteCleanup.REMOVED, 0L);
        assertThat(warehouse.load("dangling").currentSnapshot().snapshotId()).isEqualTo(snapshot);
    }

    @Test
    void rewritePositionDeletesAlsoRemovesDanglingEqualityDeletes() {
        Table table = warehouse.create("dangling_eq", Warehouse.BY_KIND, Map.of());
        List<DataFile> files = warehouse.append(table, 2, 10, "view", "click");
        warehouse.deleteIds(warehouse.load("dangling_eq"), "click", 10);
        rewriteAway(warehouse.load("dangling_eq"), List.of(files.get(1)), "click");
        List<String> rows = TableOracle.rows(warehouse.load("dangling_eq"));

        ActionResult result = executor.execute(request("dangling_eq", MaintenanceAction.REWRITE_POSITION_DELETE_FILES),
                Checkpoint.none());

        assertThat(result.metrics()).containsEntry(DanglingDeleteCleanup.REMOVED, 1L);
        assertThat(TableOracle.rows(warehouse.load("dangling_eq"))).isEqualTo(rows);
        assertThat(liveDeleteFiles(warehouse.load("dangling_eq"))).isEmpty();
    }

    /** Commits one position-delete file deleting positions 0 and 1 of {@code a} and position 4 of {@code b}. */
    private static void deletePositionsAcross(Table table, DataFile a, DataFile b) {
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .deleteFileFormat(FileFormat.PARQUET).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 8, System.nanoTime())
                .format(FileFormat.PARQUET).build();
        PartitionSpec spec = table.specs().get(a.specId());
        PositionDeleteWriter<Record> writer = writers.newPositionDeleteWriter(
                out.newOutputFile(spec, a.partition()), spec, a.partition());
        List<PositionDelete<Record>> deletes = new ArrayList<>();
        deletes.add(PositionDelete.<Record>create().set(a.location(), 0));
        deletes.add(PositionDelete.<Record>create().set(a.location(), 1));
        deletes.add(PositionDelete.<Record>create().set(b.location(), 4));
        deletes.sort(Comparator.comparing((PositionDelete<Record> d) -> d.path().toString())
                .thenComparingLong(PositionDelete::pos));
        try (writer) {
            deletes.forEach(writer::write);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        table.newRowDelta().addDeletes(writer.toDeleteFile()).commit();
    }

    /**
     * Replaces {@code files} (all data files of partition {@code kind}) by one file of their live rows, committed in
     * a new sequence number: every delete that applied to them applies to nothing now.
     */
    private static void rewriteAway(Table table, List<DataFile> files, String kind) {
        List<Record> live = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table)
                .where(Expressions.equal("kind", kind)).build()) {
            for (Record r : records) {
                live.add(Warehouse.record(table, (Long) r.getField("id"), kind));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET).dataSchema(table.schema()).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 9, System.nanoTime())
                .format(FileFormat.PARQUET).build();
        PartitionKey partition = new PartitionKey(table.spec(), table.schema());
        partition.partition(Warehouse.record(table, 0, kind));
        DataWriter<Record> writer = writers.newDataWriter(out.newOutputFile(partition), table.spec(), partition);
        try (writer) {
            live.forEach(writer::write);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(table.currentSnapshot().snapshotId());
        files.forEach(rewrite::deleteFile);
        rewrite.addFile(writer.toDataFile()).commit();
    }

    private static List<ManifestFile> deleteManifests(Table table) {
        return table.currentSnapshot().allManifests(table.io()).stream()
                .filter(m -> m.content() == ManifestContent.DELETES).toList();
    }

    /** Every live delete file as "path content spec partition dataSeq fileSeq records". */
    private static Set<String> liveDeleteFiles(Table table) {
        Set<String> files = new TreeSet<>();
        for (ManifestFile manifest : deleteManifests(table)) {
            try (ManifestReader<DeleteFile> reader = ManifestFiles.readDeleteManifest(manifest, table.io(),
                    table.specs())) {
                for (DeleteFile f : reader) {
                    files.add(f.location() + " " + f.format() + " " + f.referencedDataFile() + " " + f.contentOffset()
                            + " " + f.contentSizeInBytes() + " " + f.content() + " " + f.specId() + " "
                            + f.partition() + " " + f.dataSequenceNumber() + " " + f.fileSequenceNumber() + " " + f.recordCount()
                            + " " + f.equalityFieldIds());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /** The snapshot that added each live file, as Iceberg's {@code entries} metadata table reports it. */
    private static Map<String, Long> entrySnapshotIds(Table table) {
        Table entries = MetadataTableUtils.createMetadataTableInstance(table, MetadataTableType.ENTRIES);
        Map<String, Long> addedBy = new TreeMap<>();
        try (CloseableIterable<FileScanTask> tasks = entries.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                try (CloseableIterable<StructLike> rows = ((DataTask) task).rows()) {
                    for (StructLike row : rows) {
                        StructLike file = row.get(4, StructLike.class);
                        addedBy.put(file.get(1, Object.class).toString(), row.get(1, Long.class));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return addedBy;
    }

    private static Set<Path> metadataFiles(Table table) throws IOException {
        Path metadata = Path.of(URI.create(table.location()).getPath(), "metadata");
        try (Stream<Path> files = Files.list(metadata)) {
            return new TreeSet<>(files.toList());
        }
    }
}
