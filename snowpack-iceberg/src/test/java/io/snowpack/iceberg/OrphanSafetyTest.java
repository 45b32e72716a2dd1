package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, scenario 6: {@code remove_orphan_files} runs again and again with a 2 s threshold (a test-only
 * override) while another thread keeps committing appends; every committed file is still there and readable.
 */
class OrphanSafetyTest {
    private static final Duration THRESHOLD = Duration.ofSeconds(2);

    @TempDir
    Path root;

    @Test
    void aConcurrentWriterNeverLosesACommittedFile() throws Exception {
        try (Warehouse warehouse = new Warehouse(root)) {
            warehouse.create("busy", PartitionSpec.unpartitioned(), Map.of());
            warehouse.append(warehouse.load("busy"), 1, 5);
            Path strays = root.resolve("db/busy/data");
            for (int i = 0; i < 5; i++) {
                Path stray = Files.writeString(strays.resolve("stray-" + i + ".parquet"), "crashed writer " + i);
                Files.setLastModifiedTime(stray, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
            }
            IcebergMaintenanceExecutor executor = IcebergMaintenanceExecutor.builder(warehouse.catalog)
                    .config(SnowpackConfig.defaults()).orphanAgeOverrideForTests(THRESHOLD).build();
            List<DataFile> committed = new CopyOnWriteArrayList<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                while (writing.get()) {
                    committed.addAll(warehouse.append(warehouse.load("busy"), 2, 5));
                }
            }, "concurrent-writer");
            writer.start();
            long deleted = 0;
            int runs = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < deadline) {
                ActionResult result = executor.execute(new ActionRequest(JobId.random(), TableId.of("db", "busy"),
                        MaintenanceAction.REMOVE_ORPHAN_FILES, 1, 1), Checkpoint.none());
                deleted += result.metrics().get("orphan_files_deleted");
                runs++;
            }
            writing.set(false);
            writer.join();

            Table table = warehouse.load("busy");
            List<String> rows = Warehouse.rows(table);
            long missing = committed.stream().filter(f -> !Files.exists(Path.of(URI.create(f.location()))))
                    .count();
            write(Map.of("orphan_runs", runs, "appends_committed", committed.size() / 2,
                    "files_committed", committed.size(), "orphans_deleted", deleted, "committed_files_missing",
                    missing));

            assertThat(missing).as("committed files deleted").isZero();
            assertThat(rows).hasSize(5 + committed.size() * 5);
            assertThat(deleted).as("the old strays went").isGreaterThanOrEqualTo(5);
            assertThat(runs).isGreaterThan(1);
        }
    }

    private static void write(Map<String, ?> figures) throws IOException {
        Path out = Path.of("target", "reliability", "orphan-safety.txt");
        Files.createDirectories(out.getParent());
        StringBuilder text = new StringBuilder();
        new TreeMap<>(figures).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(out, text.toString());
    }
}
