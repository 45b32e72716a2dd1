package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code expire_snapshots} deleting metadata JSON files that fell off the metadata log, on a real table (JDBC
 * catalog, Hadoop FileIO over a temporary directory) whose log holds 3 files and that made 10 commits before
 * {@code write.metadata.delete-after-commit.enabled} was set: exactly the files off the log go, the current and
 * logged ones stay, the table reads the same and time travel works; nothing goes without the property, or with
 * {@code gc.enabled=false}; a file younger than the orphan age or with a newer version stays.
 */
class MetadataFileExpiryTest {
    private static final TableId LOGS = TableId.of("db", "logs");
    private static final String DELETE_AFTER_COMMIT = "write.metadata.delete-after-commit.enabled";

    @TempDir
    Path root;

    private Warehouse warehouse;

    @BeforeEach
    void createTable() {
        warehouse = new Warehouse(root);
        warehouse.create("logs", Warehouse.BY_KIND, Map.of("write.metadata.previous-versions-max", "3",
                "snowpack.min_snapshots_to_keep", "2"));
        for (int i = 0; i < 10; i++) {
            warehouse.append(warehouse.load("logs"), 1, 5, "view", "click");
        }
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    /** An executor whose clock is {@code ahead} of the real one (files and snapshots look that much older). */
    private IcebergMaintenanceExecutor executorIn(Duration ahead) {
        return IcebergMaintenanceExecutor.builder(warehouse.catalog).config(SnowpackConfig.defaults())
                .clock(Clock.offset(Clock.system(ZoneOffset.UTC), ahead)).build();
    }

    private static ActionRequest expiry() {
        return new ActionRequest(JobId.random(), LOGS, MaintenanceAction.EXPIRE_SNAPSHOTS, 1, 1);
    }

    private void enableDeleteAfterCommit() {
        warehouse.load("logs").updateProperties().set(DELETE_AFTER_COMMIT, "true").commit();
    }

    @Test
    void deletesExactlyTheFilesOffTheLogAndTheTableStaysReadable() throws IOException {
        enableDeleteAfterCommit();
        Table before = warehouse.load("logs");
        Set<Path> stale = offTheLog(before);
        assertThat(stale).as("versions 0 to 6 fell off the log before the property was set").hasSize(7);
        List<String> rows = TableOracle.rows(before);
        Map<Long, List<String>> rowsAt = new HashMap<>();
        for (Snapshot snapshot : before.snapshots()) {
            rowsAt.put(snapshot.snapshotId(), TableOracle.rowsAt(before, snapshot.snapshotId()));
        }
        IcebergMaintenanceExecutor executor = executorIn(Duration.ofDays(10));

        ActionResult preview = executor.preview(LOGS, MaintenanceAction.EXPIRE_SNAPSHOTS);
        assertThat(preview.metrics()).containsEntry("metadata_files_to_delete", 7L);
        assertThat(metadataJson(warehouse.load("logs"))).as("a preview deletes nothing").containsAll(stale);

        ActionResult result = executor.execute(expiry(), Checkpoint.none());

        Table after = warehouse.load("logs");
        assertThat(result.metrics()).containsEntry("metadata_files_deleted", 7L)
                .containsEntry("snapshots_expired", 8L);
        assertThat(result.message()).contains("deleted 7 metadata files off the metadata log");
        assertThat(metadataJson(after)).as("left: the current metadata file and the 3 it logs")
                .isEqualTo(currentAndLogged(after)).hasSize(4).doesNotContainAnyElementsOf(stale);
        assertThat(TableOracle.rows(after)).isEqualTo(rows);
        assertThat(after.snapshots()).hasSize(2);
        for (Snapshot snapshot : after.snapshots()) {
            assertThat(TableOracle.rowsAt(after, snapshot.snapshotId())).as("time travel to %d", snapshot.snapshotId())
                    .isEqualTo(rowsAt.get(snapshot.snapshotId()));
        }
        ActionResult again = executor.execute(expiry(), Checkpoint.none());
        assertThat(again.metrics()).containsEntry("metadata_files_deleted", 0L);
    }

    @Test
    void withoutDeleteAfterCommitNothingOffTheLogIsDeleted() throws IOException {
        Table before = warehouse.load("logs");
        Set<Path> files = metadataJson(before);
        assertThat(offTheLog(before)).hasSize(7);

        ActionResult result = executorIn(Duration.ofDays(10)).execute(expiry(), Checkpoint.none());

        assertThat(result.metrics()).containsEntry("metadata_files_deleted", 0L);
        assertThat(result.message()).contains(DELETE_AFTER_COMMIT + " is not true");
        assertThat(metadataJson(warehouse.load("logs"))).containsAll(files);
    }

    @Test
    void gcDisabledRefusesEvenWithDeleteAfterCommit() throws IOException {
        enableDeleteAfterCommit();
        warehouse.load("logs").updateProperties().set("gc.enabled", "false").commit();
        Set<Path> files = metadataJson(warehouse.load("logs"));

        assertThatThrownBy(() -> executorIn(Duration.ofDays(10)).execute(expiry(), Checkpoint.none()))
                .isInstanceOf(ActionFailedException.class).hasMessageContaining("gc.enabled=false");
        assertThat(metadataJson(warehouse.load("logs"))).isEqualTo(files);
    }

    @Test
    void aFileYoungerThanTheOrphanAgeOrOfANewerVersionStays() throws IOException {
        enableDeleteAfterCommit();
        Table table = warehouse.load("logs");
        Set<Path> stale = offTheLog(table);
        Path youngest = stale.stream().max(Path::compareTo).orElseThrow();
        Path metadataDir = youngest.getParent();
        Path stray = metadataDir.resolve("99999-" + UUID.randomUUID() + ".metadata.json");
        Files.copy(youngest, stray);
        Path unversioned = metadataDir.resolve("copy-of-metadata.metadata.json");
        Files.copy(youngest, unversioned);
        FileTime tenDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(10)));
        for (Path file : List.of(stray, unversioned)) {
            Files.setLastModifiedTime(file, tenDaysAgo);
        }
        for (Path file : stale) {
            if (!file.equals(youngest)) {
                Files.setLastModifiedTime(file, tenDaysAgo);
            }
        }
        IcebergMaintenanceExecutor now = executorIn(Duration.ZERO);

        assertThat(now.preview(LOGS, MaintenanceAction.EXPIRE_SNAPSHOTS).metrics())
                .containsEntry("snapshots_to_expire", 0L).containsEntry("metadata_files_to_delete", 6L);
        ActionResult result = now.execute(expiry(), Checkpoint.none());

        assertThat(result.metrics()).containsEntry("snapshots_expired", 0L)
                .containsEntry("metadata_files_deleted", 6L);
        Set<Path> left = metadataJson(warehouse.load("logs"));
        assertThat(left).contains(youngest, stray, unversioned).containsAll(currentAndLogged(warehouse.load("logs")));
        assertThat(left).hasSize(4 + 3);
    }

    @Test
    void healthNamesTheFullLogAndTheSwitch() {
        IcebergTableSource source = IcebergTableSource.create(warehouse.catalog, SnowpackConfig.defaults());
        TableHealth off = source.health(LOGS);
        assertThat(off.previousMetadataFiles()).isEqualTo(3);
        assertThat(off.properties()).containsEntry("write.metadata.previous-versions-max", "3");
        assertThat(off.reasons()).noneMatch(r -> r.startsWith("expire_snapshots:"));

        enableDeleteAfterCommit();
        TableHealth on = source.health(LOGS);

        assertThat(on.properties()).containsEntry(DELETE_AFTER_COMMIT, "true");
        assertThat(on.reasons()).contains("expire_snapshots: metadata log full (3 earlier metadata files >= "
                + "write.metadata.previous-versions-max 3) with write.metadata.delete-after-commit.enabled=true: "
                + "metadata files that fell off the log before it was set may remain, and expire_snapshots deletes "
                + "them");
    }

    /** The metadata JSON files on disk that are neither the current one nor in its log. */
    private static Set<Path> offTheLog(Table table) throws IOException {
        Set<Path> files = metadataJson(table);
        files.removeAll(currentAndLogged(table));
        return files;
    }

    private static Set<Path> currentAndLogged(Table table) {
        TableMetadata metadata = ((HasTableOperations) table).operations().current();
        Set<Path> paths = new TreeSet<>();
        paths.add(Path.of(URI.create(metadata.metadataFileLocation()).getPath()));
        metadata.previousFiles().forEach(e -> paths.add(Path.of(URI.create(e.file()).getPath())));
        return paths;
    }

    private static Set<Path> metadataJson(Table table) throws IOException {
        Path metadata = Path.of(URI.create(table.location()).getPath(), "metadata");
        try (Stream<Path> files = Files.list(metadata)) {
            return new TreeSet<>(files.filter(f -> f.getFileName().toString().endsWith(".metadata.json")).toList());
        }
    }
}
