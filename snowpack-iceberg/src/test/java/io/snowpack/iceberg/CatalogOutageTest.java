package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog that is really down: the JDBC catalog's database is a real PostgreSQL, stopped while jobs run
 * and started again. Every action then fails <em>transiently</em> (the worker retries with backoff), loading the
 * table included, and succeeds once the catalog is back. Before the fix, the load ran outside the classification
 * and a closed connection was filed as a permanent failure.
 */
class CatalogOutageTest {
    @TempDir
    Path root;

    private static String describe(Throwable failure) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            chain.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" <- ");
        }
        return chain.toString();
    }

    @Test
    void everyActionFailsTransientlyWhileTheCatalogIsDownAndWorksWhenItIsBack() {
        try (PostgresCatalog postgres = new PostgresCatalog(root)) {
            JdbcCatalog catalog = postgres.catalog;
            Table table = catalog.createTable(TableIdentifier.of("db", "facts"), RichRows.SCHEMA,
                    PartitionSpec.unpartitioned(), Map.of("format-version", "2", "snowpack.min_input_files", "2"));
            for (int i = 0; i < 3; i++) {
                RichRows.append(table, RichRows.rows(table, i * 20, i * 20 + 20));
                table.refresh();
            }
            List<String> rows = TableOracle.rows(table);
            IcebergMaintenanceExecutor executor = IcebergMaintenanceExecutor.create(catalog,
                    SnowpackConfig.defaults());
            JobId job = JobId.random();

            postgres.stop();
            for (MaintenanceAction action : MaintenanceAction.values()) {
                assertThatThrownBy(() -> executor.execute(new ActionRequest(job, TableId.of("db", "facts"), action,
                        1, 1), Checkpoint.none()))
                        .as(action.wireName() + " while the catalog is down")
                        .isInstanceOfSatisfying(ActionFailedException.class,
                                e -> assertThat(e.isTransient()).as(describe(e)).isTrue());
            }

            postgres.start();
            int attempt = 2;
            while (true) { // as the worker does: transient failures are retried
                try {
                    executor.execute(new ActionRequest(job, TableId.of("db", "facts"),
                            MaintenanceAction.REWRITE_DATA_FILES, attempt, attempt), Checkpoint.none());
                    break;
                } catch (ActionFailedException e) {
                    assertThat(e.isTransient()).as(describe(e)).isTrue();
                    assertThat(attempt++).as("attempts after the catalog came back: " + describe(e)).isLessThan(6);
                }
            }
            Table after = catalog.loadTable(TableIdentifier.of("db", "facts"));
            assertThat(Warehouse.liveDataFiles(after)).hasSize(1);
            assertThat(TableOracle.rows(after)).isEqualTo(rows);
        }
    }
}
