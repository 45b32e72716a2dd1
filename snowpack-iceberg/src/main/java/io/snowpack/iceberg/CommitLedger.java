package io.snowpack.iceberg;

import io.snowpack.core.spi.ActionRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * What the table itself says this job committed: every snapshot Snowpack commits carries {@code snowpack.job-id},
 * {@code snowpack.attempt}, {@code snowpack.fence} and {@code snowpack.action}, so the table is the ledger no
 * crash, outage or late commit can make lie. Used to run each action exactly once per job (a retry finds the
 * commits of an earlier attempt and does not rewrite again) and to settle an unknown commit state by looking.
 */
final class CommitLedger {
    private CommitLedger() {
    }

    /** One commit of a job, as the table records it. */
    record Commit(long snapshotId, int attempt, long fence, long committedAtMillis) {
    }

    /** The snapshots of {@code table} (any branch, oldest first) that {@code request}'s job committed for its action. */
    static List<Commit> commitsOfAction(Table table, ActionRequest request) {
        List<Commit> commits = new ArrayList<>();
        for (Snapshot snapshot : table.snapshots()) {
            Map<String, String> summary = snapshot.summary();
            if (summary != null && request.jobId().value().equals(summary.get(CommitProperties.JOB_ID))
                    && request.action().wireName().equals(summary.get(CommitProperties.ACTION))) {
                commits.add(new Commit(snapshot.snapshotId(), parseInt(summary.get(CommitProperties.ATTEMPT)),
                        parseLong(summary.get(CommitProperties.FENCE)), snapshot.timestampMillis()));
            }
        }
        commits.sort(Comparator.comparingLong(Commit::committedAtMillis));
        return commits;
    }

    /** The commits of {@code request}'s own attempt for its action. */
    static List<Commit> commitsOfAttempt(Table table, ActionRequest request) {
        return commitsOfAction(table, request).stream().filter(c -> c.attempt() == request.attempt()).toList();
    }

    /** The commits' snapshot ids, comma-separated, for messages. */
    static String snapshotIds(List<Commit> commits) {
        return commits.stream().map(c -> Long.toString(c.snapshotId())).collect(Collectors.joining(", "));
    }

    private static int parseInt(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
