package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.FenceRevokedException;
import io.snowpack.core.spi.StopRequestedException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.exceptions.RESTException;
import org.apache.iceberg.exceptions.ServiceFailureException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.jdbc.UncheckedSQLException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    private static boolean isTransient(RuntimeException failure) {
        return ((ActionFailedException) Failures.classify("rewrite_data_files", failure)).isTransient();
    }

    @Test
    void conflictsConcurrentWritersAndTimeoutsAreTransient() {
        assertThat(isTransient(new CommitFailedException("conflict"))).isTrue();
        assertThat(isTransient(new ValidationException("Cannot commit, found new position delete for replaced data "
                + "file"))).isTrue();
        assertThat(isTransient(new UncheckedIOException(new SocketTimeoutException("read timed out")))).isTrue();
        assertThat(isTransient(new RuntimeException("wrapped", new SocketTimeoutException("slow store")))).isTrue();
    }

    @Test
    void everythingElseIsPermanentAndTheMessageNamesTheCause() {
        RuntimeException missing = Failures.classify("expire_snapshots", new NoSuchTableException("db.t"));
        RuntimeException corrupt = Failures.classify("rewrite_data_files", new IllegalStateException("bad footer"));

        assertThat(((ActionFailedException) missing).isTransient()).isFalse();
        assertThat(missing.getMessage()).contains("no longer exists");
        assertThat(((ActionFailedException) corrupt).isTransient()).isFalse();
        assertThat(corrupt.getMessage()).isEqualTo("rewrite_data_files failed: bad footer");
    }

    @Test
    void aRevokedFenceStaysWhatItIs() {
        FenceRevokedException revoked = new FenceRevokedException("job", "cancelled");

        assertThat(Failures.classify("rewrite_data_files", revoked)).isSameAs(revoked);
    }

    @Test
    void aCatalogOrStoreThatIsDownSlowOrThrottlingIsTransient() {
        assertThat(isTransient(new UncheckedSQLException(new SQLException("This connection has been closed.",
                "08003"), "Failed to get table"))).isTrue();
        assertThat(isTransient(new UncheckedSQLException(new SQLNonTransientConnectionException("broken"),
                "Failed to commit"))).isTrue();
        assertThat(isTransient(new RuntimeException(new ConnectException("Connection refused")))).isTrue();
        assertThat(isTransient(new ServiceFailureException("Server error: 500"))).isTrue();
        assertThat(isTransient(new RESTException("Unable to process: 429 Too Many Requests"))).isTrue();
        assertThat(isTransient(new UncheckedSQLException(new SQLException("deadlock detected", "40P01"),
                "Failed to commit"))).isTrue();
    }

    @Test
    void aMissingFileOrAnUnusableTablePropertyIsPermanentAndSaysSo() {
        RuntimeException missing = Failures.classify("rewrite_data_files",
                new NotFoundException("Failed to open input stream for file: s3://b/t/data/x.parquet"));
        RuntimeException property = Failures.classify("rewrite_manifests",
                new NumberFormatException("For input string: \"lots\""));

        assertThat(((ActionFailedException) missing).isTransient()).isFalse();
        assertThat(missing.getMessage()).contains("a file the table references is missing");
        assertThat(((ActionFailedException) property).isTransient()).isFalse();
        assertThat(property.getMessage()).contains("a table property has an unusable value");
    }

    @Test
    void checkpointSignalsPassUnchangedEvenWhenALibraryWrappedThem() {
        StopRequestedException stop = new StopRequestedException("job");

        assertThat(Failures.classify("rewrite_data_files", stop)).isSameAs(stop);
        assertThat(Failures.classify("rewrite_data_files", new RuntimeException("wrapped", stop))).isSameAs(stop);
    }
}
