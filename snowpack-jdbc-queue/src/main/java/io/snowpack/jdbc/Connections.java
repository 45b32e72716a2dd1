package io.snowpack.jdbc;

import io.snowpack.core.BackendException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Hands out JDBI handles: the handle of the transaction running on this thread when there is one (so every
 * store call inside a unit of work joins it), else a pooled handle for one call. Driver failures surface as
 * {@link BackendException}; the callers' own exceptions pass through unchanged. A JVM failure the driver wrapped
 * (PostgreSQL's driver turns an {@link OutOfMemoryError} while reading rows into an SQL error "Ran out of memory
 * retrieving query results") is rethrown as that {@link VirtualMachineError}: heap exhaustion in this process is
 * not a database outage, and must not be reported as one.
 */
final class Connections {
    private final Jdbi jdbi;
    private final ThreadLocal<Handle> transactionHandle = new ThreadLocal<>();

    Connections(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Runs one call: inside the current transaction, or on its own (auto-commit) handle. */
    <T> T withHandle(HandleCallback<T, RuntimeException> callback) {
        Handle current = transactionHandle.get();
        if (current != null) {
            return callback.withHandle(current);
        }
        try {
            return jdbi.withHandle(callback);
        } catch (JdbiException e) {
            throw backendFailure(e);
        }
    }

    /** Runs {@code callback} atomically: joins the current transaction, or opens one. */
    <T> T inTransaction(HandleCallback<T, RuntimeException> callback) {
        Handle current = transactionHandle.get();
        if (current != null) {
            return callback.withHandle(current);
        }
        try {
            return jdbi.inTransaction(handle -> {
                transactionHandle.set(handle);
                try {
                    return callback.withHandle(handle);
                } finally {
                    transactionHandle.remove();
                }
            });
        } catch (JdbiException e) {
            throw backendFailure(e);
        }
    }

    boolean inTransaction() {
        return transactionHandle.get() != null;
    }

    private static BackendException backendFailure(JdbiException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof VirtualMachineError error) {
                error.addSuppressed(e);
                throw error;
            }
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new BackendException("Database call failed: " + cause.getMessage(), e);
    }
}
