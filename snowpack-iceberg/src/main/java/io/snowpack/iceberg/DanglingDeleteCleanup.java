package io.snowpack.iceberg;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.Table;

/**
 * A {@code rewrite_data_files} run that found no group to rewrite still removes the delete files no live data file
 * needs any more (position deletes whose data files are gone, equality deletes older than every data file they
 * could apply to), so a table whose only problem is such dangling deletes is cleaned without a full compaction. The
 * removal commits its own snapshot carrying the job's summary properties; the checkpoint runs right before it.
 */
final class DanglingDeleteCleanup {
    /** The result metric: delete files removed because no live data file needed them. */
    static final String REMOVED = "dangling_delete_files_removed";

    private DanglingDeleteCleanup() {
    }

    /**
     * {@code compaction} unchanged when it rewrote at least one group (or had no snapshot); otherwise the dangling
     * delete files are removed and the result says how many ({@value #REMOVED}).
     */
    static ActionResult afterCompaction(Table table, ActionRequest request, Checkpoint checkpoint,
            ActionResult compaction) {
        if (compaction.metrics().getOrDefault("groups", -1L) != 0L) {
            return compaction;
        }
        checkpoint.check();
        long removed = PositionDeleteCompaction.removeDanglingDeletes(table, request);
        Map<String, Long> metrics = new HashMap<>(compaction.metrics());
        metrics.put(REMOVED, removed);
        return ActionResult.succeeded(compaction.action(), compaction.message() + "; removed " + removed
                + " dangling delete files", compaction.elapsedSeconds(), metrics);
    }
}
