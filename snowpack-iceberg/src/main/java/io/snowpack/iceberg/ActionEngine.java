package io.snowpack.iceberg;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * What does the data work of one maintenance action on one loaded table: the plain-Java engine inside
 * {@link IcebergMaintenanceExecutor} by default, or another engine (Spark's actions in {@code snowpack-spark})
 * plugged in with {@link IcebergMaintenanceExecutor.Builder#engine}. The executor keeps everything around the
 * engine the same whichever runs: it loads the table fresh, records an action an earlier attempt already committed
 * instead of running it again, resolves the table's settings, refuses unsafe requests ({@code gc.enabled=false},
 * another table's files under this one's location) before the engine starts, classifies failures and settles a
 * commit whose outcome the catalog did not confirm.
 *
 * <p>An engine promises what {@link io.snowpack.core.spi.MaintenanceExecutor#execute} promises: it calls the
 * checkpoint before its work and right before every commit, commits nothing after the checkpoint has thrown and
 * lets that very signal propagate, and records {@link EngineOptions#commitProperties()} in the summary of every
 * snapshot it commits.
 */
public interface ActionEngine {
    /** Short name shown in logs and results: {@code local}, {@code spark}. */
    String name();

    /**
     * Runs {@code request}'s action on {@code table}.
     *
     * @return the successful result; a failure is thrown, raw (the executor classifies it)
     */
    ActionResult run(Table table, ActionRequest request, Checkpoint checkpoint, EngineOptions options);

    /**
     * Removes the delete files no live data file needs any more (their data files were rewritten or deleted, or
     * they are equality deletes older than every data file they could apply to), in one commit through
     * {@code table} carrying {@code request}'s summary properties, none when there is nothing to remove. For an
     * engine whose own cleanup would commit without those properties (Spark's {@code remove-dangling-deletes}).
     *
     * @return how many delete files were removed
     */
    static long removeDanglingDeletes(Table table, ActionRequest request) {
        return PositionDeleteCompaction.removeDanglingDeletes(table, request);
    }

    /**
     * The snapshots {@code request}'s attempt committed for its action, oldest first, as their summaries record
     * them: the ledger the executor itself reads, for an engine to report what its commits did.
     */
    static List<Snapshot> snapshotsOfAttempt(Table table, ActionRequest request) {
        return CommitLedger.commitsOfAttempt(table, request).stream()
                .map(commit -> table.snapshot(commit.snapshotId()))
                .toList();
    }
}
