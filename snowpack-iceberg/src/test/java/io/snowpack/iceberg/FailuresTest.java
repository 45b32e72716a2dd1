package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.FenceRevokedException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.ValidationException;
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
}
