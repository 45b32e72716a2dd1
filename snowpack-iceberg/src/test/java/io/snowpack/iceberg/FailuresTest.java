package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.FenceRevokedException;
import io.snowpack.core.spi.StopRequestedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.exceptions.RESTException;
import org.apache.iceberg.exceptions.ServiceFailureException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.jdbc.UncheckedSQLException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

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

    private enum Kind { UNAVAILABLE, TRANSIENT, PERMANENT }

    private static Kind kindOf(RuntimeException failure) {
        ActionFailedException classified = (ActionFailedException) Failures.classify("rewrite_data_files", failure);
        if (classified.isUnavailable()) {
            assertThat(classified.isTransient()).as("an unavailable service is also transient").isTrue();
            return Kind.UNAVAILABLE;
        }
        return classified.isTransient() ? Kind.TRANSIENT : Kind.PERMANENT;
    }

    private static S3Exception s3(int status, String errorCode, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(errorCode).errorMessage(message)
                        .serviceName("S3").build())
                .message(message + " (Service: S3, Status Code: " + status + ", Request ID: 7Q2B)").build();
    }

    /** Each row: what a catalog or object store that cannot be reached throws, as the libraries really throw it. */
    @Test
    void aServiceThatCannotBeReachedIsUnavailable() {
        Map<String, RuntimeException> rows = new LinkedHashMap<>();
        rows.put("connection refused", new UncheckedIOException(new ConnectException("Connection refused")));
        rows.put("no route", new RuntimeException(new NoRouteToHostException("No route to host")));
        rows.put("unknown host", new UncheckedIOException(new UnknownHostException("catalog.internal")));
        rows.put("read timeout", new UncheckedIOException(new SocketTimeoutException("Read timed out")));
        rows.put("http timeout", new UncheckedIOException(new HttpTimeoutException("request timed out")));
        rows.put("http connect timeout",
                new UncheckedIOException(new HttpConnectTimeoutException("HTTP connect timed out")));
        rows.put("connection reset", new UncheckedIOException(new SocketException("Connection reset")));
        rows.put("socket closed", new UncheckedIOException(new SocketException("Socket closed")));
        rows.put("SQL state 08006", new UncheckedSQLException(new SQLException("An I/O error occurred while "
                + "sending to the backend.", "08006"), "Failed to get table"));
        rows.put("SQL non-transient connection", new UncheckedSQLException(
                new SQLNonTransientConnectionException("Connection is broken"), "Failed to commit"));
        rows.put("SQL recoverable", new UncheckedSQLException(new SQLRecoverableException("connection lost"),
                "Failed to list tables"));
        rows.put("REST 503", new ServiceUnavailableException("Service unavailable: %s", "catalog is down"));
        rows.put("REST 502", new RESTException("Unable to process: 502 Bad Gateway"));
        rows.put("REST 504", new ServiceFailureException("Server error: 504 Gateway Timeout"));
        rows.put("REST 500: the catalog's object store is down", new ServiceFailureException("Server error: "
                + "SdkClientException: Unable to execute HTTP request: Connect to 127.0.0.1:43857 [/127.0.0.1] "
                + "failed: Connection refused (SDK Attempt Count: 1)"));
        rows.put("AWS connection refused", SdkClientException.builder()
                .message("Unable to execute HTTP request: Connect to 127.0.0.1:54291 [/127.0.0.1] failed: "
                        + "Connection refused").build());
        rows.put("AWS client error caused by a refused connection", SdkClientException.builder()
                .message("Unable to execute HTTP request: Connect to s3.local:9000 failed")
                .cause(new ConnectException("Connection refused")).build());
        rows.put("AWS 503", s3(503, "ServiceUnavailable", "Service is unable to handle request."));
        rows.put("AWS 502", s3(502, "BadGateway", "Bad Gateway"));
        rows.put("AWS 504", s3(504, "GatewayTimeout", "Gateway Timeout"));

        assertThat(rows).allSatisfy((name, failure) -> assertThat(kindOf(failure)).as(name)
                .isEqualTo(Kind.UNAVAILABLE));
        assertThat(Failures.classify("expire_snapshots", rows.get("connection refused")).getMessage())
                .isEqualTo("expire_snapshots failed: UncheckedIOException: Connection refused");
    }

    /** Each row: the service answered, or the failure is not an outage; the attempt counts as before. */
    @Test
    void conflictsThrottlingAndOtherErrorsStayTransientAndCount() {
        Map<String, RuntimeException> rows = new LinkedHashMap<>();
        rows.put("commit conflict", new CommitFailedException("Cannot commit: metadata location changed"));
        rows.put("concurrent writer", new ValidationException("Found conflicting files"));
        rows.put("REST 429", new RESTException("Unable to process: 429 Too Many Requests"));
        rows.put("REST 500", new ServiceFailureException("Server error: 500"));
        rows.put("AWS SlowDown (a 503 that is throttling)", s3(503, "SlowDown", "Please reduce your request rate."));
        rows.put("AWS 429", s3(429, "TooManyRequestsException", "Too many requests"));
        rows.put("AWS 500", s3(500, "InternalError", "We encountered an internal error. Please try again."));
        rows.put("AWS client error that is not about the network", SdkClientException.builder()
                .message("Unable to unmarshall response (Unexpected end of stream)").build());
        rows.put("other I/O error", new UncheckedIOException(new IOException("Premature end of Content-Length")));
        rows.put("deadlock", new UncheckedSQLException(new SQLException("deadlock detected", "40P01"), "commit"));
        rows.put("conflict caused by a timeout", new CommitFailedException(
                new SocketTimeoutException("Read timed out"), "Commit failed: %s", "lock wait"));

        assertThat(rows).allSatisfy((name, failure) -> assertThat(kindOf(failure)).as(name)
                .isEqualTo(Kind.TRANSIENT));
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
