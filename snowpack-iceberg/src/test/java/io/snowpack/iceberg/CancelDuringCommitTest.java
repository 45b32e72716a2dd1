package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.MaintenanceConflictException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.worker.JobOutcome;
import io.snowpack.core.worker.Worker;
import io.snowpack.testkit.TestData;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 2, with a real catalog whose commit is held: the catalog's row of the table is locked
 * {@code FOR UPDATE} by another connection, so the Iceberg executor's commit waits inside PostgreSQL. The job is
 * cancelled meanwhile (200, {@code cancelled}, the fence revoked at once); the table stays locked so no other job
 * starts; the row lock goes, the commit lands, and the job records it (a late result naming the snapshot) instead
 * of hiding it, and shows when its worker confirmed it stopped, which frees the table.
 */
class CancelDuringCommitTest {
    private static final TableId FACTS = TableId.of("db", "facts");

    @TempDir
    Path root;

    @Test
    void aCommitHeldByTheCatalogWhileTheJobIsCancelledLandsAndIsRecordedOnTheJob() throws Exception {
        try (PostgresCatalog postgres = new PostgresCatalog(root)) {
            Table table = postgres.catalog.createTable(TableIdentifier.of("db", "facts"), RichRows.SCHEMA,
                    PartitionSpec.builderFor(RichRows.SCHEMA).identity("category").build(),
                    Map.of("format-version", "2", "snowpack.min_input_files", "2",
                            "snowpack.partial_progress_max_commits", "1"));
            for (int i = 0; i < 3; i++) {
                RichRows.append(table, RichRows.rows(table, i * 30, i * 30 + 30));
                table.refresh();
            }
            List<String> rows = TableOracle.rows(table);
            SnowpackStore store = InMemoryStore.create();
            store.tables().upsert(TestData.health(FACTS, store.now(), true));
            MaintenanceService service = MaintenanceService.builder().store(store)
                    .config(SnowpackConfig.defaults()).build();
            Worker worker = Worker.builder().store(store).config(SnowpackConfig.defaults())
                    .executor(IcebergMaintenanceExecutor.create(postgres.catalog, SnowpackConfig.defaults()))
                    .build();
            Job job = service.submit(FACTS, List.of(MaintenanceAction.REWRITE_DATA_FILES), false);

            CompletableFuture<JobOutcome> outcome;
            try (Connection holder = postgres.connect()) {
                lockCatalogRow(holder);
                outcome = CompletableFuture.supplyAsync(worker::runOnce);
                awaitCommitWaitingOnTheRow(postgres);

                Job cancelled = service.cancel(job.jobId());
                assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
                assertThat(cancelled.stopConfirmedAt()).isNull();
                assertThatThrownBy(() -> service.submit(FACTS, List.of(MaintenanceAction.REWRITE_DATA_FILES),
                        false)).as("no other job starts while the revoked commit may land")
                        .isInstanceOf(MaintenanceConflictException.class);
                holder.rollback(); // the catalog answers: the commit goes through
            }

            assertThat(outcome.get(120, TimeUnit.SECONDS)).isEqualTo(JobOutcome.REVOKED);
            Table after = postgres.catalog.loadTable(TableIdentifier.of("db", "facts"));
            List<Snapshot> ours = StreamSupport.stream(after.snapshots().spliterator(), false)
                    .filter(s -> job.jobId().value().equals(s.summary().get("snowpack.job-id"))).toList();
            assertThat(ours).as("the commit landed after the cancel").hasSize(1);
            Job recorded = service.get(job.jobId());
            assertThat(recorded.status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(recorded.results()).singleElement().satisfies(result -> {
                assertThat(result.success()).isTrue();
                assertThat(result.message()).startsWith("After the fence was revoked: Compacted");
            });
            assertThat(recorded.stopConfirmedAt()).isNotNull();
            assertThat(store.locks().current(FACTS.key())).as("free once the worker stopped").isEmpty();
            assertThat(TableOracle.rows(after)).isEqualTo(rows);
        }
    }

    private static void lockCatalogRow(Connection holder) throws SQLException {
        try (PreparedStatement lock = holder.prepareStatement(
                "SELECT metadata_location FROM iceberg_tables WHERE table_namespace = 'db' AND table_name = 'facts'"
                        + " FOR UPDATE");
                ResultSet locked = lock.executeQuery()) {
            assertThat(locked.next()).isTrue();
        }
    }

    /** Polls pg_stat_activity until a session waits on a row lock (the catalog's commit UPDATE). */
    private static void awaitCommitWaitingOnTheRow(PostgresCatalog postgres) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Connection watcher = postgres.connect()) {
            watcher.setAutoCommit(true);
            while (System.nanoTime() < deadline) {
                try (PreparedStatement waiting = watcher.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE wait_event_type = 'Lock' AND query ILIKE 'UPDATE iceberg_tables%'");
                        ResultSet count = waiting.executeQuery()) {
                    count.next();
                    if (count.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the catalog commit never waited on the locked row");
    }
}
