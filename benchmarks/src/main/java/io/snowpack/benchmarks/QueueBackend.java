package io.snowpack.benchmarks;

import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.SnowpackSchema;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;

/** What a claim benchmark runs against. */
enum QueueBackend {
    /** Snowpack's in-memory store. */
    MEMORY {
        @Override
        QueueUnderTest open() {
            return new SnowpackQueue(InMemoryStore.create(), null, null);
        }
    },
    /** Snowpack's JDBC store on in-memory H2. */
    H2 {
        @Override
        QueueUnderTest open() {
            return jdbc(BenchDatabases.h2("bench_" + System.nanoTime()));
        }
    },
    /** Snowpack's JDBC store on the embedded PostgreSQL. */
    POSTGRES {
        @Override
        QueueUnderTest open() {
            return jdbc(BenchDatabases.postgres());
        }
    },
    /** Plain JDBC on the same PostgreSQL: the baseline Snowpack-on-PostgreSQL is compared with. */
    RAW {
        @Override
        QueueUnderTest open() {
            return new RawJdbcQueue(BenchDatabases.postgres());
        }
    };

    static final String SCHEMA = "bench";

    abstract QueueUnderTest open();

    private static QueueUnderTest jdbc(DataSource dataSource) {
        SnowpackSchema.migrate(dataSource, SCHEMA);
        return new SnowpackQueue(JdbcStore.builder(dataSource).schema(SCHEMA).tableCacheTtl(Duration.ZERO).build(),
                dataSource, SCHEMA);
    }

    static QueueBackend parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
