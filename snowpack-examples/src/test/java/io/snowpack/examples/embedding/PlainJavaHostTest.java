package io.snowpack.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.examples.DemoWarehouse;
import io.snowpack.iceberg.IcebergMaintenanceExecutor;
import io.snowpack.iceberg.IcebergTableSource;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.SnowpackSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's plain Java host, compiled and run as printed: from a DataSource and a catalog to a first completed
 * compaction in 15 lines, on H2 and a local Iceberg warehouse.
 */
class PlainJavaHostTest {
    @TempDir
    Path dir;

    @Test
    void fifteenLinesFromADataSourceAndACatalogToACompletedCompaction() throws Exception {
        String warehouse = dir.resolve("warehouse").toUri().toString();
        try (HadoopCatalog demo = new HadoopCatalog(new Configuration(), warehouse)) {
            new DemoWarehouse(demo).ensure();
        }
        long filesBefore = dataFiles(warehouse);
        Job done;

        // --- README: plain Java host starts here ---
        JdbcDataSource h2 = new JdbcDataSource();                             // the host's database: H2 here
        h2.setURL("jdbc:h2:" + dir.resolve("snowpack") + ";DB_CLOSE_DELAY=-1");
        SnowpackSchema.migrate(h2);                                           // creates or upgrades Snowpack's tables
        SnowpackStore store = JdbcStore.builder(h2).build();
        Catalog catalog = new HadoopCatalog(new Configuration(), warehouse);  // any Iceberg catalog
        SnowpackConfig config = SnowpackConfig.defaults();                    // or fromEnvironment()
        try (SnowpackRuntime runtime = SnowpackRuntime.builder().store(store)
                .executor(IcebergMaintenanceExecutor.create(catalog, config))
                .tableSource(IcebergTableSource.create(catalog, config))
                .config(config).build().start()) {                            // roles: scheduler and worker
            Job job = runtime.service().submit(TableId.parse("demo.events"),
                    List.of(MaintenanceAction.REWRITE_DATA_FILES), false);
            done = runtime.service().awaitTerminal(job.jobId(), Duration.ofMinutes(2));
        }
        // --- README: plain Java host ends here ---

        store.close();
        assertThat(done.status()).as("%s", done).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.results()).singleElement().satisfies(result ->
                assertThat(result.action()).isEqualTo(MaintenanceAction.REWRITE_DATA_FILES));
        assertThat(dataFiles(warehouse)).as("small files compacted").isLessThan(filesBefore);
    }

    private static long dataFiles(String warehouse) throws Exception {
        try (HadoopCatalog catalog = new HadoopCatalog(new Configuration(), warehouse)) {
            Table table = catalog.loadTable(DemoWarehouse.EVENTS);
            return Long.parseLong(table.currentSnapshot().summary().get("total-data-files"));
        }
    }
}
