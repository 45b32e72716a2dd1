package io.snowpack.iceberg;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.FenceRevokedException;
import io.snowpack.core.SnowpackException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.exceptions.ValidationException;

/**
 * Classifies what an action threw for the worker's retry policy. Transient (a later attempt re-plans and may
 * succeed): commit conflicts, {@link ValidationException} from a concurrent writer, an unknown commit state,
 * catalog or storage timeouts and I/O errors. Permanent: everything else, such as a missing table or corrupt data.
 */
final class Failures {
    private Failures() {
    }

    static RuntimeException classify(String action, RuntimeException failure) {
        if (failure instanceof FenceRevokedException || failure instanceof ActionFailedException) {
            return failure;
        }
        if (failure instanceof SnowpackException) {
            return failure;
        }
        String message = action + " failed: " + rootMessage(failure);
        if (isTransient(failure)) {
            return ActionFailedException.transientFailure(message, failure);
        }
        if (failure instanceof NoSuchTableException) {
            return ActionFailedException.permanentFailure(action + " failed: the table no longer exists", failure);
        }
        return ActionFailedException.permanentFailure(message, failure);
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CommitFailedException || t instanceof ValidationException
                    || t instanceof CommitStateUnknownException || t instanceof ServiceUnavailableException
                    || t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t instanceof UncheckedIOException || t instanceof IOException) {
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
