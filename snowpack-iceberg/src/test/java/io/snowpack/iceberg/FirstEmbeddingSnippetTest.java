package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.health.HealthSync;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first embedding snippet, on a fresh store and a real catalog (before, it threw: table not cached). */
class FirstEmbeddingSnippetTest {
    @TempDir
    Path root;

    @Test
    void theSnippetSubmitsAndCancelsOnAFreshStore() {
        try (Warehouse warehouse = new Warehouse(root)) {
            warehouse.namespaces().createNamespace(Namespace.of("offer_service"));
            warehouse.catalog.createTable(TableIdentifier.of("offer_service", "offers"), RichRows.SCHEMA,
                    PartitionSpec.unpartitioned(), Map.of("format-version", "2"));
            Catalog catalog = warehouse.catalog;

            // --- README sample starts here ---
            SnowpackStore store = InMemoryStore.create();                 // or the PostgreSQL / H2 backend
            SnowpackConfig config = SnowpackConfig.fromEnvironment();     // SNOWPACK_* variables, validated
            TableSource tables = IcebergTableSource.create(catalog, config);
            HealthSync.builder().store(store).source(tables).config(config).build()
                    .runOnce();                                           // the table cache: only known tables take jobs
            MaintenanceService service = MaintenanceService.builder().store(store).config(config).build();

            Job job = service.submit(TableId.parse("offer_service.offers"),
                    List.of(MaintenanceAction.REWRITE_DATA_FILES, MaintenanceAction.EXPIRE_SNAPSHOTS), false);
            Job now = service.get(job.jobId());                           // pending -> running -> completed
            service.cancel(job.jobId());                                  // revokes a running worker's fence
            // --- README sample ends here ---

            assertThat(now.status()).isEqualTo(JobStatus.PENDING);
            assertThat(service.get(job.jobId()).status()).isEqualTo(JobStatus.CANCELLED);
        }
    }
}
