package io.snowpack.iceberg;

import io.snowpack.core.spi.ActionRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-in check after a rewrite commits ({@code snowpack.verify_after_commit=true}): the rewritten rows are read
 * back, with deletes applied, from the snapshot before the commit and from the commit itself, and compared by
 * count and checksum ({@link RowDigest}). When they differ and nothing but this job committed since the
 * pre-maintenance snapshot, the table is rolled back to it; otherwise the table is left alone, an error is logged
 * and the action fails, so a person decides.
 */
final class ReadBackCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ReadBackCheck.class);

    private final Table table;
    private final ActionRequest request;
    private final long preMaintenanceSnapshotId;
    private final Verification verification;

    ReadBackCheck(Table table, ActionRequest request, long preMaintenanceSnapshotId, Verification verification) {
        this.table = table;
        this.request = request;
        this.preMaintenanceSnapshotId = preMaintenanceSnapshotId;
        this.verification = verification;
    }

    /**
     * Checks the newest commit of this job: the live rows of the data files {@code before} selects, read as of
     * its parent, must equal the live rows of those {@code after} selects, read as of the commit.
     *
     * @throws VerificationFailedException when they differ (after rolling back, or alerting)
     */
    void check(Predicate<DataFile> before, Predicate<DataFile> after) {
        long begin = System.nanoTime();
        String action = request.action().wireName();
        try {
            table.refresh();
            Snapshot commit = newestCommitOfThisJob();
            if (commit == null || commit.parentId() == null) {
                return;
            }
            RowDigest expected = digest(commit.parentId(), before);
            RowDigest actual = digest(commit.snapshotId(), after);
            if (expected.sameAs(actual)) {
                LOG.info("Read-back check of snapshot {} passed: {}", commit.snapshotId(), actual);
                return;
            }
            String difference = "snapshot " + commit.snapshotId() + " reads back " + actual + ", the rows it "
                    + "rewrote were " + expected;
            throw verification.metrics().failed(action, respond(action, difference));
        } finally {
            verification.metrics().timed(action, "read_back", System.nanoTime() - begin);
        }
    }

    private VerificationFailedException respond(String action, String difference) {
        Snapshot current = table.currentSnapshot();
        Snapshot foreign = firstForeignCommitSincePreMaintenance(current);
        if (foreign == null) {
            table.manageSnapshots().rollbackTo(preMaintenanceSnapshotId).commit();
            verification.metrics().readBackFailed(action, true);
            LOG.error("Read-back check failed on {}: {}; rolled the table back to snapshot {}", table.name(),
                    difference, preMaintenanceSnapshotId);
            return new VerificationFailedException(Invariant.READ_BACK.wireName(), action + " failed its "
                    + "read-back check: " + difference + "; the table was rolled back to snapshot "
                    + preMaintenanceSnapshotId + ", its state before this job");
        }
        verification.metrics().readBackFailed(action, false);
        String detail = action + " failed its read-back check: " + difference + "; NOT rolled back, because "
                + "snapshot " + foreign.snapshotId() + " (" + foreign.operation() + ") was committed by another "
                + "writer since. A person must decide: the state before this job is snapshot "
                + preMaintenanceSnapshotId;
        LOG.error("ALERT {}: {}", table.name(), detail);
        return new VerificationFailedException(Invariant.READ_BACK.wireName(), detail);
    }

    /** The newest snapshot on the current branch that this job's attempt committed for this action. */
    private Snapshot newestCommitOfThisJob() {
        for (Snapshot s = table.currentSnapshot(); s != null && s.snapshotId() != preMaintenanceSnapshotId;
                s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            if (isOurs(s)) {
                return s;
            }
        }
        return null;
    }

    private Snapshot firstForeignCommitSincePreMaintenance(Snapshot current) {
        for (Snapshot s = current; s != null && s.snapshotId() != preMaintenanceSnapshotId;
                s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            if (!isOurs(s)) {
                return s;
            }
        }
        return null;
    }

    private boolean isOurs(Snapshot snapshot) {
        Map<String, String> summary = snapshot.summary();
        return request.jobId().value().equals(summary.get(CommitProperties.JOB_ID))
                && Integer.toString(request.attempt()).equals(summary.get(CommitProperties.ATTEMPT));
    }

    private RowDigest digest(long snapshotId, Predicate<DataFile> files) {
        RowDigest digest = new RowDigest();
        LiveRows rows = new LiveRows(table, LiveRows.readSchema(table));
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId).planFiles()) {
            for (FileScanTask task : tasks) {
                if (files.test(task.file())) {
                    rows.forEach(task, digest::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digest;
    }

    /** A predicate matching data files by location. */
    static Predicate<DataFile> located(Set<String> locations) {
        return file -> locations.contains(file.location());
    }
}
