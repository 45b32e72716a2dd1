package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.model.ActionResult;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table is the ledger of what a job committed: a commit whose answer was lost is recorded from the table, a
 * commit that never landed is retried, and a retry of a job whose earlier attempt committed an action records it
 * instead of committing again (exactly once per action). Each failed before these changes.
 */
class CommitTruthTest {
    private static final TableId FACTS = TableId.of("db", "facts");

    @TempDir
    Path root;

    private final FaultyCommitCatalog catalog = new FaultyCommitCatalog();
    private Warehouse warehouse;
    private IcebergMaintenanceExecutor executor;

    @BeforeEach
    void open() {
        warehouse = new Warehouse(root, "org.apache.iceberg.hadoop.HadoopFileIO", catalog);
        warehouse.create("facts", RichRows.SCHEMA, PartitionSpec.builderFor(RichRows.SCHEMA).identity("category")
                .build(), Map.of("snowpack.min_input_files", "2", "snowpack.partial_progress_max_commits", "1"));
        for (int i = 0; i < 3; i++) {
            RichRows.append(warehouse.load("facts"), RichRows.rows(warehouse.load("facts"), i * 30, i * 30 + 30));
        }
        executor = IcebergMaintenanceExecutor.create(catalog, io.snowpack.core.config.SnowpackConfig.defaults());
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private long snapshotsOf(JobId job) {
        return warehouse.load("facts").snapshot(warehouse.load("facts").currentSnapshot().snapshotId()) == null ? 0
                : java.util.stream.StreamSupport.stream(warehouse.load("facts").snapshots().spliterator(), false)
                        .filter(s -> job.value().equals(s.summary().get("snowpack.job-id"))).count();
    }

    @Test
    void aCommitWhoseAnswerWasLostIsRecordedFromTheTable() {
        List<String> rows = TableOracle.rows(warehouse.load("facts"));
        ActionRequest request = new ActionRequest(JobId.random(), FACTS, MaintenanceAction.REWRITE_DATA_FILES, 1, 4);
        catalog.failNextCommit(FaultyCommitCatalog.Fault.LOSE_ANSWER);

        ActionResult result = executor.execute(request, Checkpoint.none());

        assertThat(result.success()).isTrue();
        assertThat(result.message()).contains("the table shows it landed");
        assertThat(snapshotsOf(request.jobId())).isEqualTo(1);
        assertThat(TableOracle.rows(warehouse.load("facts"))).isEqualTo(rows);
    }

    @Test
    void aCommitThatNeverLandedIsATransientFailureAndTheRetryCommitsOnce() {
        List<String> rows = TableOracle.rows(warehouse.load("facts"));
        JobId job = JobId.random();
        catalog.failNextCommit(FaultyCommitCatalog.Fault.FAIL_UNANSWERED);

        assertThatThrownBy(() -> executor.execute(new ActionRequest(job, FACTS, MaintenanceAction.REWRITE_DATA_FILES,
                1, 4), Checkpoint.none()))
                .isInstanceOfSatisfying(ActionFailedException.class, e -> assertThat(e.isTransient()).isTrue())
                .hasMessageContaining("did not land");
        assertThat(snapshotsOf(job)).isZero();

        executor.execute(new ActionRequest(job, FACTS, MaintenanceAction.REWRITE_DATA_FILES, 2, 5), Checkpoint.none());

        assertThat(snapshotsOf(job)).isEqualTo(1);
        assertThat(TableOracle.rows(warehouse.load("facts"))).isEqualTo(rows);
    }

    @Test
    void aRetryOfAJobWhoseEarlierAttemptCommittedRecordsItInsteadOfCommittingAgain() {
        JobId job = JobId.random();
        executor.execute(new ActionRequest(job, FACTS, MaintenanceAction.REWRITE_DATA_FILES, 1, 4),
                Checkpoint.none());
        long committed = warehouse.load("facts").currentSnapshot().snapshotId();
        // the worker died before recording the result; meanwhile a writer added small files again
        for (int i = 3; i < 6; i++) {
            RichRows.append(warehouse.load("facts"), RichRows.rows(warehouse.load("facts"), i * 30, i * 30 + 30));
        }
        Table before = warehouse.load("facts");
        long current = before.currentSnapshot().snapshotId();

        ActionResult retry = executor.execute(new ActionRequest(job, FACTS, MaintenanceAction.REWRITE_DATA_FILES, 2,
                5), Checkpoint.none());

        assertThat(retry.message()).startsWith("Already committed by attempt 1 as snapshot " + committed);
        assertThat(retry.metrics()).containsEntry("last_snapshot_id", committed);
        assertThat(warehouse.load("facts").currentSnapshot().snapshotId()).as("no second commit").isEqualTo(current);
        assertThat(snapshotsOf(job)).isEqualTo(1);
    }
}
