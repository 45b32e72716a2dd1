package io.snowpack.spark;

import io.snowpack.core.spi.ActionRequest;
import io.snowpack.iceberg.ActionEngine;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;

/**
 * What an attempt's commits did, as the snapshot summaries they carry record it. Spark's result objects miss some
 * of it (a bin-pack rewrite reports no removed delete files although its commits remove them), and the summaries
 * are what the table will say later anyway.
 */
final class CommitSummaries {
    private CommitSummaries() {
    }

    /**
     * {@code commits}, {@code delete_files_removed} and {@code bytes_out} of {@code request}'s attempt at its action
     * (not the job's earlier actions in the same attempt).
     */
    static Map<String, Long> ofAttempt(Table table, ActionRequest request) {
        long commits = 0;
        long deleteFilesRemoved = 0;
        long bytesOut = 0;
        for (Snapshot snapshot : ActionEngine.snapshotsOfAttempt(table, request)) {
            commits++;
            deleteFilesRemoved += number(snapshot.summary(), SnapshotSummary.REMOVED_DELETE_FILES_PROP);
            bytesOut += number(snapshot.summary(), SnapshotSummary.ADDED_FILE_SIZE_PROP);
        }
        Map<String, Long> metrics = new LinkedHashMap<>();
        metrics.put("commits", commits);
        metrics.put("delete_files_removed", deleteFilesRemoved);
        metrics.put("bytes_out", bytesOut);
        return metrics;
    }

    private static long number(Map<String, String> summary, String key) {
        String value = summary.get(key);
        return value == null ? 0 : Long.parseLong(value);
    }
}
