package io.snowpack.jdbc;

import io.snowpack.core.contract.BackendContract;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.testing.SettableClock;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;

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
}
