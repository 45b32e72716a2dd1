package io.snowpack.jdbc;

import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.http.JdkServerApiContract;
import io.snowpack.testkit.SettableClock;
import io.snowpack.testkit.contract.BackendContract;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** Every contract suite against a real PostgreSQL server, in a schema of its own. */
class PostgresBackendTest extends BackendContract {
    private static DataSource dataSource;
    private static String schema;

    @BeforeAll
    static void migrate() {
        dataSource = TestDatabases.postgres();
        schema = TestDatabases.newSchema(dataSource, "contract_pg");
    }

    @Override
    protected SnowpackStore createStore(SettableClock clock) {
        TestDatabases.truncate(dataSource, schema);
        return JdbcStore.builder(dataSource).schema(schema).clock(clock).build();
    }

    @Nested
    class Api extends JdkServerApiContract {
        @Override
        protected SnowpackStore createStore(SettableClock clock) {
            return PostgresBackendTest.this.createStore(clock);
        }
    }
}
