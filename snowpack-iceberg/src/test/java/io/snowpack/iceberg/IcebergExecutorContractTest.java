package io.snowpack.iceberg;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.testkit.contract.MaintenanceExecutorContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;

/**
 * The Iceberg executor passes the executor contract on a real table: {@code rewrite_data_files} over three
 * partitions (a checkpoint per group, then one before the single commit), a concurrent position delete against a
 * file being replaced as the conflicting write, and {@code expire_snapshots} refused on a {@code gc.enabled=false}
 * table as the permanent failure.
 */
class IcebergExecutorContractTest extends MaintenanceExecutorContract {
    @Override
    protected Fixture createFixture() {
        Path root;
        try {
            root = Files.createTempDirectory("snowpack-executor-contract");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Warehouse warehouse = new Warehouse(root);
        warehouse.create("facts", RichRows.SCHEMA, PartitionSpec.builderFor(RichRows.SCHEMA).identity("category")
                .build(), Map.of("snowpack.min_input_files", "2", "snowpack.partial_progress_max_commits", "1"));
        for (int i = 0; i < 3; i++) {
            RichRows.append(warehouse.load("facts"), RichRows.rows(warehouse.load("facts"), i * 30, i * 30 + 30));
        }
        warehouse.create("kept", RichRows.SCHEMA, PartitionSpec.unpartitioned(), Map.of("gc.enabled", "false"));
        RichRows.append(warehouse.load("kept"), RichRows.rows(warehouse.load("kept"), 0, 10));
        IcebergMaintenanceExecutor executor = IcebergMaintenanceExecutor.create(warehouse.catalog,
                SnowpackConfig.defaults());
        ActionRequest request = new ActionRequest(JobId.random(), TableId.of("db", "facts"),
                MaintenanceAction.REWRITE_DATA_FILES, 1, 7);
        return new Fixture() {
            @Override
            public MaintenanceExecutor executor() {
                return executor;
            }

            @Override
            public ActionRequest request() {
                return request;
            }

            @Override
            public String committedState() {
                return ((HasTableOperations) warehouse.load("facts")).operations().current().metadataFileLocation();
            }

            @Override
            public void conflictingWrite() {
                DataFile victim = Warehouse.liveDataFiles(warehouse.load("facts")).get(0);
                warehouse.deletePositions(warehouse.load("facts"), victim, 0);
            }

            @Override
            public ActionRequest permanentlyFailing() {
                return new ActionRequest(JobId.random(), TableId.of("db", "kept"), MaintenanceAction.EXPIRE_SNAPSHOTS,
                        1, 1);
            }

            @Override
            public String permanentFailureMessage() {
                return "gc.enabled=false";
            }

            @Override
            public void close() {
                warehouse.close();
                try (Stream<Path> files = Files.walk(root)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
