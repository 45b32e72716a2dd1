package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verified maintenance: faults injected between what a rewrite reads and what it writes (dropped, duplicated,
 * mis-partitioned and corrupted rows; dropped, duplicated and mis-partitioned delete positions) are never left
 * committed. The invariants stop the first kinds before the commit; the read-back check catches a corrupted value
 * after it and rolls back, or alerts when another writer committed since.
 */
class VerificationTest {
    private static final PartitionSpec BY_CATEGORY = PartitionSpec.builderFor(RichRows.SCHEMA)
            .identity("category").build();

    @TempDir
    Path root;

    private Warehouse warehouse;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void open() {
        warehouse = new Warehouse(root);
        warehouse.create("facts", RichRows.SCHEMA, BY_CATEGORY, Map.of("snowpack.min_input_files", "2"));
        for (int i = 0; i < 3; i++) {
            RichRows.append(warehouse.load("facts"), RichRows.rows(warehouse.load("facts"), i * 40, i * 40 + 40));
        }
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private IcebergMaintenanceExecutor executor(RewriteFaults faults) {
        return IcebergMaintenanceExecutor.builder(warehouse.catalog).meterRegistry(registry).faultsForTests(faults)
                .build();
    }

    private static ActionRequest request(MaintenanceAction action) {
        return new ActionRequest(JobId.random(), TableId.of("db", "facts"), action, 1, 1);
    }

    private double failures(String invariant) {
        var counter = registry.find("snowpack.verification.failures").tag("invariant", invariant).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Runs compaction with {@code faults} and proves it broke {@code invariant} and left the table as it was. */
    private void refusedBeforeCommit(RewriteFaults faults, MaintenanceAction action, String invariant)
            throws IOException {
        warehouse.load("facts").updateProperties().set("snowpack.partial_progress_max_commits", "1").commit();
        String metadata = metadataLocation();
        List<String> rows = TableOracle.rows(warehouse.load("facts"));
        long parquet = DataSafetyRegressionTest.parquetFilesUnder(root);

        assertThatThrownBy(() -> executor(faults).execute(request(action), Checkpoint.none()))
                .isInstanceOfSatisfying(VerificationFailedException.class, e -> {
                    assertThat(e.invariant()).isEqualTo(invariant);
                    assertThat(e.isTransient()).isFalse();
                })
                .hasMessageContaining("invariant " + invariant + " broken");

        assertThat(metadataLocation()).as("nothing committed").isEqualTo(metadata);
        assertThat(TableOracle.rows(warehouse.load("facts"))).isEqualTo(rows);
        assertThat(DataSafetyRegressionTest.parquetFilesUnder(root)).as("the output was deleted").isEqualTo(parquet);
        assertThat(failures(invariant)).isEqualTo(1);
    }

    @Test
    void aDroppedRowIsNeverCommitted() throws IOException {
        AtomicLong seen = new AtomicLong();
        refusedBeforeCommit(new RewriteFaults() {
            @Override
            public void writeRow(Record row, StructLike partition, BiConsumer<Record, StructLike> out) {
                if (seen.incrementAndGet() != 17) {
                    out.accept(row, partition);
                }
            }
        }, MaintenanceAction.REWRITE_DATA_FILES, "row_count");
    }

    @Test
    void aDuplicatedRowIsNeverCommitted() throws IOException {
        refusedBeforeCommit(new RewriteFaults() {
            @Override
            public void writeRow(Record row, StructLike partition, BiConsumer<Record, StructLike> out) {
                out.accept(row, partition);
                if ((Long) row.getField("id") == 42L) {
                    out.accept(row, partition);
                }
            }
        }, MaintenanceAction.REWRITE_DATA_FILES, "row_count");
    }

    @Test
    void aRowWrittenIntoAnotherPartitionIsNeverCommitted() throws IOException {
        refusedBeforeCommit(new RewriteFaults() {
            @Override
            public void writeRow(Record row, StructLike partition, BiConsumer<Record, StructLike> out) {
                out.accept(row, (Long) row.getField("id") == 3L ? category("gamma") : partition);
            }
        }, MaintenanceAction.REWRITE_DATA_FILES, "partition_row_count");
    }

    @Test
    void rowsWhoseValuesBelongInAnotherPartitionAreCaughtByTheColumnBoundsWhenCountsAgree() throws IOException {
        refusedBeforeCommit(new RewriteFaults() {
            @Override
            public void writeRow(Record row, StructLike partition, BiConsumer<Record, StructLike> out) {
                long id = (Long) row.getField("id");
                if (id == 0 || id == 1) { // alpha and beta: each stays in its partition with the other's value
                    Record swapped = row.copy();
                    swapped.setField("category", id == 0 ? "beta" : "alpha");
                    out.accept(swapped, partition);
                } else {
                    out.accept(row, partition);
                }
            }
        }, MaintenanceAction.REWRITE_DATA_FILES, "partition_matches_rows");
    }

    @Test
    void rowsWrittenUnderOneFixedPartitionAreNeverCommitted() throws IOException {
        // what compaction did after a spec change before the fix: every row under the group's (null) tuple
        refusedBeforeCommit(new RewriteFaults() {
            @Override
            public void writeRow(Record row, StructLike partition, BiConsumer<Record, StructLike> out) {
                out.accept(row, category(null));
            }
        }, MaintenanceAction.REWRITE_DATA_FILES, "partition_row_count");
    }

    @Test
    void aDroppedDeletePositionIsNeverCommitted() throws IOException {
        addPositionDeletes();
        AtomicLong seen = new AtomicLong();
        refusedBeforeCommit(new RewriteFaults() {
            @Override
            public void writePosition(String path, long position, BiConsumer<String, Long> out) {
                if (seen.incrementAndGet() != 2) {
                    out.accept(path, position);
                }
            }
        }, MaintenanceAction.REWRITE_POSITION_DELETE_FILES, "deletes_preserved");
    }

    @Test
    void aDuplicatedDeletePositionIsNeverCommitted() throws IOException {
        addPositionDeletes();
        refusedBeforeCommit(new RewriteFaults() {
            @Override
            public void writePosition(String path, long position, BiConsumer<String, Long> out) {
                out.accept(path, position);
                out.accept(path, position);
            }
        }, MaintenanceAction.REWRITE_POSITION_DELETE_FILES, "deletes_preserved");
    }

    @Test
    void aDeleteFileInAnotherPartitionThanItsDataIsNeverCommitted() throws IOException {
        addPositionDeletes();
        refusedBeforeCommit(new RewriteFaults() {
            @Override
            public StructLike deletePartition(PartitionSpec spec, StructLike partition) {
                return category("gamma".equals(partition.get(0, String.class)) ? "alpha" : "gamma");
            }
        }, MaintenanceAction.REWRITE_POSITION_DELETE_FILES, "delete_partition");
    }

    @Test
    void aCorruptedValueIsCaughtByTheReadBackCheckAndRolledBack() {
        warehouse.load("facts").updateProperties().set("snowpack.verify_after_commit", "true").commit();
        Table before = warehouse.load("facts");
        long preMaintenance = before.currentSnapshot().snapshotId();
        List<String> rows = TableOracle.rows(before);

        assertThatThrownBy(() -> executor(corruptNotes(() -> { })).execute(
                request(MaintenanceAction.REWRITE_DATA_FILES), Checkpoint.none()))
                .isInstanceOfSatisfying(VerificationFailedException.class,
                        e -> assertThat(e.invariant()).isEqualTo("read_back"))
                .hasMessageContaining("rolled back to snapshot " + preMaintenance);

        Table after = warehouse.load("facts");
        assertThat(after.currentSnapshot().snapshotId()).isEqualTo(preMaintenance);
        assertThat(TableOracle.rows(after)).isEqualTo(rows);
        assertThat(registry.get("snowpack.verification.rollbacks").tag("outcome", "rolled_back").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aReadBackFailureAfterAnotherWriterCommittedAlertsInsteadOfRollingBack() {
        warehouse.load("facts").updateProperties().set("snowpack.verify_after_commit", "true")
                .set("snowpack.partial_progress_max_commits", "1").commit();
        long preMaintenance = warehouse.load("facts").currentSnapshot().snapshotId();
        AtomicBoolean appended = new AtomicBoolean();
        List<DataFile> foreign = new ArrayList<>();
        Runnable concurrentWriter = () -> {
            if (appended.compareAndSet(false, true)) {
                foreign.addAll(RichRows.append(warehouse.load("facts"),
                        RichRows.rows(warehouse.load("facts"), 1000, 1010)));
            }
        };

        assertThatThrownBy(() -> executor(corruptNotes(concurrentWriter)).execute(
                request(MaintenanceAction.REWRITE_DATA_FILES), Checkpoint.none()))
                .isInstanceOfSatisfying(VerificationFailedException.class,
                        e -> assertThat(e.invariant()).isEqualTo("read_back"))
                .hasMessageContaining("NOT rolled back")
                .hasMessageContaining("snapshot " + preMaintenance);

        Table after = warehouse.load("facts");
        assertThat(after.currentSnapshot().snapshotId()).as("left for a person to decide")
                .isNotEqualTo(preMaintenance);
        assertThat(foreign).isNotEmpty();
        assertThat(registry.get("snowpack.verification.rollbacks").tag("outcome", "alerted").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aCleanRewriteWithTheReadBackCheckCommitsAndKeepsEveryRow() {
        warehouse.load("facts").updateProperties().set("snowpack.verify_after_commit", "true").commit();
        addPositionDeletes();
        List<String> rows = TableOracle.rows(warehouse.load("facts"));

        executor(RewriteFaults.NONE).execute(request(MaintenanceAction.REWRITE_POSITION_DELETE_FILES),
                Checkpoint.none());
        executor(RewriteFaults.NONE).execute(request(MaintenanceAction.REWRITE_DATA_FILES), Checkpoint.none());

        assertThat(TableOracle.rows(warehouse.load("facts"))).isEqualTo(rows);
        assertThat(registry.get("snowpack.verification.duration").tag("phase", "read_back").timers())
                .extracting(timer -> timer.getId().getTag("action"))
                .containsExactlyInAnyOrder("rewrite_data_files", "rewrite_position_delete_files");
        assertThat(registry.find("snowpack.verification.failures").counters()).isEmpty();
    }

    @Test
    void aWriterThroughTheRewriteFileIoNeverReplacesAnExistingFile() throws IOException {
        Path existing = Files.writeString(root.resolve("committed.parquet"), "committed bytes");
        FileIO io = NoOverwriteFileIO.wrap(warehouse.load("facts").io());
        OutputFile file = io.newOutputFile(existing.toUri().toString());

        assertThatThrownBy(file::createOrOverwrite).isInstanceOf(NoOverwriteFileIO.PathAlreadyExists.class)
                .hasMessageContaining("committed.parquet");
        assertThatThrownBy(file::create).isInstanceOf(NoOverwriteFileIO.PathAlreadyExists.class);
        assertThat(Files.readString(existing, StandardCharsets.UTF_8)).isEqualTo("committed bytes");
        try (PositionOutputStream fresh = io.newOutputFile(root.resolve("new.bin").toUri().toString())
                .createOrOverwrite()) {
            fresh.write(1);
        }
        assertThat(root.resolve("new.bin")).hasSize(1);
    }

    /** Changes every {@code note} (not a partition column), so counts and partitions still agree. */
    private static RewriteFaults corruptNotes(Runnable firstRow) {
        return new RewriteFaults() {
            @Override
            public void writeRow(Record row, StructLike partition, BiConsumer<Record, StructLike> out) {
                firstRow.run();
                Record changed = row.copy();
                changed.setField("note", "corrupted");
                out.accept(changed, partition);
            }
        };
    }

    private void addPositionDeletes() {
        List<DataFile> files = Warehouse.liveDataFiles(warehouse.load("facts"));
        for (int i = 0; i < 6; i++) {
            warehouse.deletePositions(warehouse.load("facts"), files.get(i % 3), i, i + 1);
        }
    }

    private static StructLike category(String value) {
        PartitionData partition = new PartitionData(BY_CATEGORY.partitionType());
        partition.set(0, value);
        return partition;
    }

    private String metadataLocation() {
        return ((HasTableOperations) warehouse.load("facts")).operations().current().metadataFileLocation();
    }
}
