package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code expire_snapshots} and {@code remove_orphan_files} on real tables and real files. */
class ExpiryAndOrphansTest {
    private static final TableId LOGS = TableId.of("db", "logs");

    @TempDir
    Path root;

    private Warehouse warehouse;

    @BeforeEach
    void createTable() {
        warehouse = new Warehouse(root);
        warehouse.create("logs", PartitionSpec.unpartitioned(), Map.of("snowpack.min_snapshots_to_keep", "2"));
        for (int i = 0; i < 8; i++) {
            warehouse.append(warehouse.load("logs"), 1, 5);
        }
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    /** An executor that sees every snapshot as {@code days} days old. */
    private IcebergMaintenanceExecutor executorIn(Duration ahead, Duration orphanAge) {
        IcebergMaintenanceExecutor.Builder builder = IcebergMaintenanceExecutor.builder(warehouse.catalog)
                .config(SnowpackConfig.defaults()).clock(Clock.offset(Clock.system(ZoneOffset.UTC), ahead));
        if (orphanAge != null) {
            builder.orphanAgeOverrideForTests(orphanAge);
        }
        return builder.build();
    }

    private static ActionRequest request(MaintenanceAction action) {
        return new ActionRequest(JobId.random(), LOGS, action, 1, 3);
    }

    @Test
    void expiryKeepsTheNewestAndEveryReferencedSnapshotAndDataStaysReadable() {
        Table table = warehouse.load("logs");
        List<Snapshot> snapshots = new ArrayList<>();
        table.snapshots().forEach(snapshots::add);
        long tagged = snapshots.get(1).snapshotId();
        long branched = snapshots.get(3).snapshotId();
        table.manageSnapshots().createTag("audit", tagged).createBranch("backfill", branched).commit();
        List<String> rowsAtTag = Warehouse.rowsAt(warehouse.load("logs"), tagged);
        List<String> current = Warehouse.rows(warehouse.load("logs"));
        IcebergMaintenanceExecutor executor = executorIn(Duration.ofDays(10), null);

        ActionResult preview = executor.preview(LOGS, MaintenanceAction.EXPIRE_SNAPSHOTS);
        ActionResult result = executor.execute(request(MaintenanceAction.EXPIRE_SNAPSHOTS), Checkpoint.none());

        Table after = warehouse.load("logs");
        Set<Long> retained = new HashSet<>();
        after.snapshots().forEach(s -> retained.add(s.snapshotId()));
        assertThat(retained).contains(tagged, branched, snapshots.get(6).snapshotId(),
                snapshots.get(7).snapshotId());
        assertThat(retained.size()).as("Iceberg may keep a branch's own history too").isBetween(4, 5);
        assertThat(result.metrics()).containsEntry("snapshots_expired", 8L - retained.size());
        assertThat(preview.metrics()).containsEntry("snapshots_to_expire", 8L - retained.size());
        assertThat(Warehouse.rows(after)).isEqualTo(current);
        assertThat(Warehouse.rowsAt(after, tagged)).isEqualTo(rowsAtTag);
        retained.forEach(id -> assertThat(Warehouse.rowsAt(after, id)).isNotEmpty());
    }

    @Test
    void expiryAndOrphanRemovalAreRefusedWhenGcIsDisabled() {
        warehouse.load("logs").updateProperties().set("gc.enabled", "false").commit();
        IcebergMaintenanceExecutor executor = executorIn(Duration.ofDays(10), Duration.ofHours(1));

        for (MaintenanceAction action : List.of(MaintenanceAction.EXPIRE_SNAPSHOTS,
                MaintenanceAction.REMOVE_ORPHAN_FILES)) {
            assertThatThrownBy(() -> executor.execute(request(action), Checkpoint.none()))
                    .isInstanceOfSatisfying(ActionFailedException.class, e -> {
                        assertThat(e.isTransient()).isFalse();
                        assertThat(e.getMessage()).contains("gc.enabled=false");
                    });
        }
        assertThat(warehouse.load("logs").snapshots()).hasSize(8);
    }

    @Test
    void onlyOldUnreferencedFilesGoAndThePreviewNamesExactlyThem() throws IOException {
        Path data = root.resolve("db/logs/data");
        Path oldStray = Files.writeString(data.resolve("stray-old.parquet"), "left over by a crashed writer");
        Path oldStray2 = Files.writeString(data.resolve("stray-old-2.parquet"), "another");
        Path inFlight = Files.writeString(data.resolve("in-flight.parquet"), "a write still in progress");
        age(oldStray, Duration.ofDays(2));
        age(oldStray2, Duration.ofDays(2));
        Set<Path> referencedBefore = parquetFiles(data);
        referencedBefore.removeAll(Set.of(oldStray, oldStray2, inFlight));
        referencedBefore.forEach(p -> age(p, Duration.ofDays(2)));
        List<String> rows = Warehouse.rows(warehouse.load("logs"));
        IcebergMaintenanceExecutor executor = executorIn(Duration.ZERO, Duration.ofHours(1));
        String metadata = metadataLocation();

        ActionResult preview = executor.preview(LOGS, MaintenanceAction.REMOVE_ORPHAN_FILES);
        assertThat(metadataLocation()).isEqualTo(metadata);
        assertThat(Files.exists(oldStray)).as("a preview deletes nothing").isTrue();
        ActionResult result = executor.execute(request(MaintenanceAction.REMOVE_ORPHAN_FILES), Checkpoint.none());

        assertThat(Files.exists(oldStray)).isFalse();
        assertThat(Files.exists(oldStray2)).isFalse();
        assertThat(Files.exists(inFlight)).as("younger than the threshold").isTrue();
        assertThat(referencedBefore).allSatisfy(p -> assertThat(Files.exists(p)).isTrue());
        assertThat(result.metrics()).containsEntry("orphan_files_deleted", 2L);
        assertThat(preview.metrics()).containsEntry("orphan_files", 2L)
                .containsEntry("orphan_bytes", result.metrics().get("orphan_bytes_deleted"));
        assertThat(preview.message()).contains("stray-old");
        assertThat(Warehouse.rows(warehouse.load("logs"))).isEqualTo(rows);
    }

    @Test
    void theOneDayFloorHoldsWhateverTheTableSays() throws IOException {
        Path stray = Files.writeString(root.resolve("db/logs/data/stray.parquet"), "twelve hours old");
        age(stray, Duration.ofHours(12));
        warehouse.load("logs").updateProperties().set("snowpack.orphan_file_age_days", "0").commit();

        ActionResult result = executorIn(Duration.ZERO, null)
                .execute(request(MaintenanceAction.REMOVE_ORPHAN_FILES), Checkpoint.none());

        assertThat(Files.exists(stray)).isTrue();
        assertThat(result.metrics()).containsEntry("orphan_files_deleted", 0L);
    }

    @Test
    void anotherTableInsideTheLocationIsARefusal() {
        Table logs = warehouse.load("logs");
        warehouse.catalog.buildTable(TableIdentifier.of("db", "nested"), Warehouse.SCHEMA)
                .withLocation(logs.location() + "/nested").create();

        assertThatThrownBy(() -> executorIn(Duration.ZERO, Duration.ofHours(1))
                .execute(request(MaintenanceAction.REMOVE_ORPHAN_FILES), Checkpoint.none()))
                .isInstanceOfSatisfying(ActionFailedException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("db.nested");
                });
    }

    private String metadataLocation() {
        return ((HasTableOperations) warehouse.load("logs")).operations().current()
                .metadataFileLocation();
    }

    private static void age(Path file, Duration age) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<Path> parquetFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".parquet")).collect(Collectors.toSet());
        }
    }
}
