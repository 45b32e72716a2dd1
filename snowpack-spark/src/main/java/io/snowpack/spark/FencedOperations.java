package io.snowpack.spark;

import org.apache.iceberg.BaseTable;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.exceptions.CleanableFailure;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/**
 * A table's operations whose every commit first passes the job's checkpoint. Spark's actions commit on the driver
 * through the {@link Table} they were given, from threads Snowpack does not own (the commit service of a
 * partial-progress rewrite included), so this is the one place a revoked fence or a stop request can refuse a
 * commit that a cancelled Spark job would no longer prevent. No signal is thrown while a commit it let through is
 * in flight ({@link GuardedCheckpoint#commitIfAllowed}), so nothing lands after the signal. A refused commit throws {@link CommitRefused}: not a
 * {@code CommitFailedException}, which Iceberg would retry, but a {@link CleanableFailure}, so Iceberg deletes the
 * files the refused commit would have added.
 */
final class FencedOperations implements TableOperations {
    private final TableOperations delegate;
    private final GuardedCheckpoint checkpoint;

    private FencedOperations(TableOperations delegate, GuardedCheckpoint checkpoint) {
        this.delegate = delegate;
        this.checkpoint = checkpoint;
    }

    /** {@code table}, whose commits pass {@code checkpoint} first. */
    static Table wrap(Table table, GuardedCheckpoint checkpoint) {
        TableOperations ops = ((HasTableOperations) table).operations();
        return new BaseTable(new FencedOperations(ops, checkpoint), table.name());
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
        boolean[] allowed = {false};
        try {
            checkpoint.commitIfAllowed(() -> {
                allowed[0] = true;
                delegate.commit(base, metadata);
            });
        } catch (RuntimeException e) {
            if (allowed[0]) {
                throw e; // the catalog's own answer: Iceberg decides what it means
            }
            throw new CommitRefused(e);
        }
    }

    @Override
    public TableMetadata current() {
        return delegate.current();
    }

    @Override
    public TableMetadata refresh() {
        return delegate.refresh();
    }

    @Override
    public FileIO io() {
        return delegate.io();
    }

    @Override
    public EncryptionManager encryption() {
        return delegate.encryption();
    }

    @Override
    public String metadataFileLocation(String fileName) {
        return delegate.metadataFileLocation(fileName);
    }

    @Override
    public LocationProvider locationProvider() {
        return delegate.locationProvider();
    }

    @Override
    public TableOperations temp(TableMetadata uncommittedMetadata) {
        return delegate.temp(uncommittedMetadata);
    }

    @Override
    public long newSnapshotId() {
        return delegate.newSnapshotId();
    }

    @Override
    public boolean requireStrictCleanup() {
        return delegate.requireStrictCleanup();
    }

    /** A commit the checkpoint refused before it reached the catalog: nothing of it landed. */
    static final class CommitRefused extends RuntimeException implements CleanableFailure {
        CommitRefused(RuntimeException signal) {
            super("commit refused before it reached the catalog: " + signal.getMessage(), signal);
        }
    }
}
