package io.snowpack.iceberg;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * A real {@link JdbcCatalog} whose next commit can end without an answer, as when the connection drops while the
 * catalog commits: {@link Fault#LOSE_ANSWER} lets the commit happen and then throws
 * {@link CommitStateUnknownException}; {@link Fault#FAIL_UNANSWERED} throws it without committing. Every other
 * call goes to the real catalog.
 */
class FaultyCommitCatalog extends JdbcCatalog {
    enum Fault { LOSE_ANSWER, FAIL_UNANSWERED }

    private final AtomicReference<Fault> next = new AtomicReference<>();

    /** The next commit of any table meets {@code fault}; later ones are normal. */
    void failNextCommit(Fault fault) {
        next.set(fault);
    }

    @Override
    protected TableOperations newTableOps(TableIdentifier identifier) {
        return new Ops(super.newTableOps(identifier));
    }

    private final class Ops implements TableOperations {
        private final TableOperations real;

        Ops(TableOperations real) {
            this.real = real;
        }

        @Override
        public TableMetadata current() {
            return real.current();
        }

        @Override
        public TableMetadata refresh() {
            return real.refresh();
        }

        @Override
        public void commit(TableMetadata base, TableMetadata metadata) {
            Fault fault = next.getAndSet(null);
            if (fault == Fault.FAIL_UNANSWERED) {
                throw new CommitStateUnknownException(new RuntimeException("connection reset before the commit"));
            }
            real.commit(base, metadata);
            if (fault == Fault.LOSE_ANSWER) {
                throw new CommitStateUnknownException(new RuntimeException("connection reset after the commit"));
            }
        }

        @Override
        public FileIO io() {
            return real.io();
        }

        @Override
        public EncryptionManager encryption() {
            return real.encryption();
        }

        @Override
        public String metadataFileLocation(String fileName) {
            return real.metadataFileLocation(fileName);
        }

        @Override
        public LocationProvider locationProvider() {
            return real.locationProvider();
        }

        @Override
        public TableOperations temp(TableMetadata uncommittedMetadata) {
            return real.temp(uncommittedMetadata);
        }

        @Override
        public long newSnapshotId() {
            return real.newSnapshotId();
        }

        @Override
        public boolean requireStrictCleanup() {
            return real.requireStrictCleanup();
        }
    }
}
