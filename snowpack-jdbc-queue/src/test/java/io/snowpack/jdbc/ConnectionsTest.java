package io.snowpack.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.BackendException;
import java.sql.SQLException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

/** How driver failures leave {@link Connections}: database errors as backend outages, JVM errors as themselves. */
class ConnectionsTest {
    private final Connections connections = new Connections(Jdbi.create(TestDatabases.h2()), TestDatabases.h2());

    @Test
    void aDatabaseErrorIsABackendFailure() {
        assertThatThrownBy(() -> connections.withHandle(h -> h.createQuery("SELECT * FROM no_such_table")
                .mapTo(Integer.class).one()))
                .isInstanceOf(BackendException.class).hasMessageContaining("NO_SUCH_TABLE");
    }

    /**
     * PostgreSQL's driver catches an {@link OutOfMemoryError} while it reads rows and throws an SQL error "Ran out of
     * memory retrieving query results" (SQLSTATE 53200) around it, which JDBI wraps again: that used to reach the API
     * as a 503 blaming the database. The heap of this process is not the database.
     */
    @Test
    void heapExhaustionWrappedByTheDriverIsRethrownAsTheError() {
        OutOfMemoryError heap = new OutOfMemoryError("Java heap space");
        SQLException driver = new SQLException("Ran out of memory retrieving query results.", "53200", heap);

        assertThatThrownBy(() -> connections.withHandle(h -> {
            throw new UnableToExecuteStatementException(driver, null);
        })).isSameAs(heap);
        assertThatThrownBy(() -> connections.inTransaction(h -> {
            throw new UnableToExecuteStatementException(driver, null);
        })).isSameAs(heap);
        assertThat(heap.getSuppressed()).isNotEmpty();
    }
}
