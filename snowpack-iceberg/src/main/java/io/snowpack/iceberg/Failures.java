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
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
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
 * Checkpoint signals pass unchanged. Unavailable (the catalog or object store could not be reached; the job is
 * postponed without spending an attempt): connection refused, reset or closed, no route, unknown host, connect
 * and read timeouts, a JDBC catalog's lost connection (SQL state class 08, {@code SQLNonTransientConnectionException},
 * {@code SQLRecoverableException}), Iceberg REST 503 ({@code ServiceUnavailableException}) and 502/504, a REST
 * catalog's error saying that it could not reach its own object store, AWS SDK
 * client errors that never got an answer ("Unable to execute HTTP request", timeouts) and AWS 502/503/504 that is
 * not throttling. Transient (a later attempt re-plans and may succeed; the attempt counts): commit conflicts and
 * concurrent-writer validation failures, throttling (429, SlowDown, too many requests), other HTTP 5xx, other
 * SQL states 40, 53, 57P, other I/O errors; a conflict or throttling anywhere in the chain keeps the failure
 * transient even when a network error is in it too. Permanent: a table that no longer exists, a file the table
 * references that is missing, unusable table properties, refused unsafe operations, and anything else.
 * An unknown commit state is not classified here: the executor looks in the table whether the commit landed.
 */
final class Failures {
    private static final Pattern GATEWAY_STATUS = Pattern.compile(
            "\\b(502|503|504)\\b|bad gateway|service unavailable|gateway time-?out", Pattern.CASE_INSENSITIVE);
    /**
     * A REST catalog's own error that says the catalog could not reach <em>its</em> storage (the object store
     * behind it is down: "Server error: SdkClientException: Unable to execute HTTP request: Connect to … failed:
     * Connection refused").
     */
    private static final Pattern CATALOG_STORAGE_UNREACHABLE = Pattern.compile(
            "Unable to execute HTTP request|Connection refused|ConnectException|UnknownHostException"
                    + "|connect timed out", Pattern.CASE_INSENSITIVE);
    private static final Pattern AWS_GATEWAY_STATUS = Pattern.compile("Status Code: 50[234]\\b");
    private static final Pattern TOO_MANY_REQUESTS = Pattern.compile("\\b429\\b");

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
        if (isUnavailable(failure)) {
            return ActionFailedException.unavailable(message, failure);
        }
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

    /**
     * The catalog or object store could not be reached: a network or connection failure somewhere in the chain,
     * and no commit conflict or throttling (those mean the service answered).
     */
    static boolean isUnavailable(Throwable failure) {
        boolean unreachable = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CommitFailedException || t instanceof ValidationException || throttling(t)) {
                return false;
            }
            unreachable |= unreachable(t);
        }
        return unreachable;
    }

    private static boolean unreachable(Throwable t) {
        if (t instanceof SocketException || t instanceof UnknownHostException || t instanceof SocketTimeoutException
                || t instanceof HttpTimeoutException || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLRecoverableException || t instanceof SQLTransientConnectionException
                || t instanceof ServiceUnavailableException) {
            return true;
        }
        if (t instanceof SQLException sql) {
            return sql.getSQLState() != null && sql.getSQLState().startsWith("08");
        }
        if (t instanceof RESTException) {
            String message = String.valueOf(t.getMessage());
            return GATEWAY_STATUS.matcher(message).find() || CATALOG_STORAGE_UNREACHABLE.matcher(message).find();
        }
        return awsUnreachable(t);
    }

    /** A service that answered "slow down": Iceberg REST or AWS 429, SlowDown, throttling. */
    private static boolean throttling(Throwable t) {
        if (t instanceof RESTException) {
            return throttledMessage(t.getMessage());
        }
        if (!isAws(t)) {
            return false;
        }
        return Boolean.TRUE.equals(awsProperty(t, "isThrottlingException"))
                || Integer.valueOf(429).equals(awsProperty(t, "statusCode")) || throttledMessage(t.getMessage());
    }

    private static boolean throttledMessage(String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return TOO_MANY_REQUESTS.matcher(text).find() || text.contains("too many requests")
                || text.contains("slow down") || text.contains("slowdown") || text.contains("throttl");
    }

    /**
     * The AWS SDK (S3FileIO, Glue), without depending on it: a client error that never got an answer (the SDK
     * says "Unable to execute HTTP request", or timed out), or a 502/503/504 from the service.
     */
    private static boolean awsUnreachable(Throwable t) {
        if (!isAws(t)) {
            return false;
        }
        if (isA(t.getClass(), "SdkClientException")) {
            return String.valueOf(t.getMessage()).contains("Unable to execute HTTP request")
                    || t.getClass().getSimpleName().contains("Timeout");
        }
        Object status = awsProperty(t, "statusCode");
        return status instanceof Integer code ? code == 502 || code == 503 || code == 504
                : AWS_GATEWAY_STATUS.matcher(String.valueOf(t.getMessage())).find();
    }

    private static boolean isAws(Throwable t) {
        return t.getClass().getName().startsWith("software.amazon.awssdk.");
    }

    private static boolean isA(Class<?> type, String simpleName) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getSimpleName().equals(simpleName)) {
                return true;
            }
        }
        return false;
    }

    /** A public no-argument accessor of an AWS SDK exception ({@code statusCode()}...), or null without one. */
    private static Object awsProperty(Throwable t, String accessor) {
        try {
            return t.getClass().getMethod(accessor).invoke(t);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
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
