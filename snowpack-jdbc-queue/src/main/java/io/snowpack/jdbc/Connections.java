package io.snowpack.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;

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
    private final DataSource dataSource;
    private final ThreadLocal<Handle> transactionHandle = new ThreadLocal<>();
    /** What {@link #firstInTransaction} was asked about in the transaction running on this thread. */
    private final ThreadLocal<Set<Object>> transactionMarks = new ThreadLocal<>();

    Connections(Jdbi jdbi, DataSource dataSource) {
        this.jdbi = jdbi;
        this.dataSource = dataSource;
    }

    /** A call on a plain JDBC connection. */
    @FunctionalInterface
    interface ConnectionCall<T> {
        T call(Connection connection) throws SQLException;
    }

    /**
     * Runs one call on plain JDBC, for the queue's hot statements: on the connection of the current transaction, or
     * on a pooled connection of its own (auto-commit), without opening a JDBI handle.
     */
    <T> T withConnection(ConnectionCall<T> call) {
        Handle current = transactionHandle.get();
        try {
            if (current != null) {
                return call.call(current.getConnection());
            }
            try (Connection connection = dataSource.getConnection()) {
                return call.call(connection);
            }
        } catch (SQLException e) {
            throw new BackendException("Database call failed: " + e.getMessage(), e);
        }
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
                    transactionMarks.remove();
                }
            });
        } catch (JdbiException e) {
            throw backendFailure(e);
        }
    }

    /**
     * Whether this is the first time {@code mark} is asked about in the transaction running on this thread (always
     * {@code true} outside one): for work a transaction needs once however many of its statements call for it, such
     * as telling listening workers that jobs are ready.
     */
    boolean firstInTransaction(Object mark) {
        if (transactionHandle.get() == null) {
            return true;
        }
        Set<Object> marks = transactionMarks.get();
        if (marks == null) {
            marks = new HashSet<>();
            transactionMarks.set(marks);
        }
        return marks.add(mark);
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
