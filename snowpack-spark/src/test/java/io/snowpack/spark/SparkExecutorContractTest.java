package io.snowpack.spark;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.testkit.contract.MaintenanceExecutorContract;
import java.time.Duration;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;

/**
 * The Spark executor passes the executor contract on a real table in {@code local[2]}: {@code rewrite_data_files}
 * over three partitions in one commit (the checkpoint is asked before the action and right before the commit;
 * the watcher's interval is longer than the test, so the count does not depend on timing), a concurrent position
 * delete against a file being replaced as the conflicting write, and {@code expire_snapshots} refused on a
 * {@code gc.enabled=false} table as the permanent failure.
 */
class SparkExecutorContractTest extends MaintenanceExecutorContract {
    @Override
    protected Fixture createFixture() {
        String database = SharedSpark.freshDatabase("contract");
        SparkTables facts = new SparkTables(database, "facts");
        facts.create(SparkTables.BY_CATEGORY, Map.of("snowpack.min_input_files", "2",
                "snowpack.partial_progress_max_commits", "1"));
        for (int i = 0; i < 3; i++) {
            facts.appendDirect(i * 30L, i * 30L + 30);
        }
        SparkTables kept = new SparkTables(database, "kept");
        kept.create(PartitionSpec.unpartitioned(), Map.of("gc.enabled", "false"));
        kept.appendDirect(0, 10);
        MaintenanceExecutor executor = SparkMaintenanceExecutor.builder(facts.catalog, facts.spark)
                .config(SnowpackConfig.defaults())
                .checkpointInterval(Duration.ofHours(1))
                .build();
        ActionRequest request = new ActionRequest(JobId.random(), facts.id, MaintenanceAction.REWRITE_DATA_FILES, 1,
                7);
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
                return facts.metadataLocation();
            }

            @Override
            public void conflictingWrite() {
                Table table = facts.load();
                DataFile victim = facts.dataFiles().get(0);
                facts.deleteWhere("id = " + firstId(table, victim));
            }

            @Override
            public ActionRequest permanentlyFailing() {
                return new ActionRequest(JobId.random(), TableId.of(database, "kept"),
                        MaintenanceAction.EXPIRE_SNAPSHOTS, 1, 1);
            }

            @Override
            public String permanentFailureMessage() {
                return "gc.enabled=false";
            }

            @Override
            public void close() {
                facts.catalog.dropTable(facts.identifier(), true);
                kept.catalog.dropTable(kept.identifier(), true);
            }
        };
    }

    /** The smallest id stored in {@code file}, from its column bounds (a row a delete can aim at). */
    private static long firstId(Table table, DataFile file) {
        return org.apache.iceberg.types.Conversions.fromByteBuffer(table.schema().findType("id"),
                file.lowerBounds().get(table.schema().findField("id").fieldId()));
    }
}
