package io.snowpack.iceberg;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.SnowpackException;
import io.snowpack.core.spi.Checkpoint;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.exceptions.RESTException;
import org.apache.iceberg.exceptions.ServiceFailureException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.exceptions.ValidationException;

/**
 * Classifies what an action threw for the worker's retry policy, by cause (the whole cause chain is looked at).
 * Checkpoint signals pass unchanged. Transient (a later attempt re-plans and may succeed): commit conflicts and
 * concurrent-writer validation failures; a catalog or object store that is down, slow or throttling (connection
 * refused or reset, timeouts, HTTP 5xx and 429, AWS SDK client errors); a JDBC catalog's closed or broken
 * connection (a connection exception of any kind, SQL states 08, 40, 53, 57P); other I/O errors. Permanent: a table that no longer exists, a file the
 * table references that is missing, unusable table properties, refused unsafe operations, and anything else.
 * An unknown commit state is not classified here: the executor looks in the table whether the commit landed.
 */
final class Failures {
    private Failures() {
    }

    static RuntimeException classify(String action, RuntimeException failure) {
        RuntimeException signal = Checkpoint.signalIn(failure);
        if (signal != null) {
            return signal;
        }
        if (failure instanceof SnowpackException) {
            return failure;
        }
        if (has(failure, NoSuchTableException.class)) {
            return ActionFailedException.permanentFailure(action + " failed: the table no longer exists", failure);
        }
        if (has(failure, FileNotFoundException.class) || has(failure, NoSuchFileException.class)
                || has(failure, NotFoundException.class)) {
            return ActionFailedException.permanentFailure(action + " failed: a file the table references is "
                    + "missing: " + rootMessage(failure), failure);
        }
        String message = action + " failed: " + rootMessage(failure);
        if (isTransient(failure)) {
            return ActionFailedException.transientFailure(message, failure);
        }
        if (failure instanceof NumberFormatException || failure instanceof ArithmeticException) {
            return ActionFailedException.permanentFailure(action + " failed: a table property has an unusable "
                    + "value: " + rootMessage(failure), failure);
        }
        return ActionFailedException.permanentFailure(message, failure);
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CommitFailedException || t instanceof ValidationException
                    || t instanceof ServiceUnavailableException || t instanceof ServiceFailureException
                    || t instanceof ConnectException || t instanceof SocketException
                    || t instanceof SocketTimeoutException || t instanceof UnknownHostException
                    || t instanceof HttpTimeoutException || t instanceof TimeoutException
                    || t instanceof InterruptedIOException || t instanceof SQLTransientException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof UncheckedIOException
                    || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException sql && transientSqlState(sql.getSQLState())) {
                return true;
            }
            if (t instanceof RESTException && throttled(t.getMessage())) {
                return true;
            }
            if (awsTransient(t)) {
                return true;
            }
        }
        return false;
    }

    /** Connection exceptions (08), transaction rollbacks (40), insufficient resources (53), operator intervention (57P). */
    private static boolean transientSqlState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                || state.startsWith("57P"));
    }

    private static boolean throttled(String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return text.contains("429") || text.contains("too many requests") || text.contains("slow down")
                || text.contains("slowdown") || text.contains("throttl") || text.contains("503")
                || text.contains("502") || text.contains("504");
    }

    /** The AWS SDK (S3FileIO, Glue) without depending on it: client-side errors, timeouts, 5xx and throttling. */
    private static boolean awsTransient(Throwable t) {
        String type = t.getClass().getName();
        if (!type.startsWith("software.amazon.awssdk.")) {
            return false;
        }
        String name = t.getClass().getSimpleName();
        return name.equals("SdkClientException") || name.contains("Timeout") || name.equals("RetryableException")
                || throttled(t.getMessage()) || String.valueOf(t.getMessage()).contains("Status Code: 5");
    }

    static boolean commitStateUnknown(Throwable failure) {
        return has(failure, CommitStateUnknownException.class);
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == failure ? message : failure.getClass().getSimpleName() + ": " + message;
    }
}
