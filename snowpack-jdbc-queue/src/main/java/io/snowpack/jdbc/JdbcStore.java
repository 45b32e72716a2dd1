package io.snowpack.jdbc;

import io.snowpack.core.BackendException;
import io.snowpack.core.spi.Clock;
import io.snowpack.core.spi.HealthHistoryRule;
import io.snowpack.core.spi.SnowpackStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * Creates the PostgreSQL or H2 backend of every store SPI over a host-supplied {@link DataSource}. The
 * database is recognised from the driver. Pass a pooling {@code DataSource} (HikariCP): every store call
 * borrows a connection for its duration, and a unit of work holds one for its transaction. Set
 * {@code ApplicationName} on the pool's connections (for example {@code snowpack-api}, {@code snowpack-worker})
 * so {@code pg_stat_activity} shows who holds what. The schema must have been migrated
 * ({@link SnowpackSchema#migrate}).
 *
 * <pre>{@code
 * SnowpackSchema.migrate(dataSource, "snowpack");
 * SnowpackStore store = JdbcStore.builder(dataSource).schema("snowpack").build();
 * }</pre>
 */
public final class JdbcStore {
    private JdbcStore() {
    }

    /** A builder over {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** Builds a JDBC {@link SnowpackStore}. */
    public static final class Builder {
        private final DataSource dataSource;
        private String schema = SnowpackSchema.DEFAULT_SCHEMA;
        private Clock clock;
        private Duration tableCacheTtl = CachingTableCache.DEFAULT_TTL;
        private long tableCacheSize = CachingTableCache.DEFAULT_MAXIMUM_SIZE;
        private HealthHistoryRule healthHistoryRule = HealthHistoryRule.defaults();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The schema holding Snowpack's tables; default {@value SnowpackSchema#DEFAULT_SCHEMA}. */
        public Builder schema(String value) {
            schema = SnowpackSchema.checkSchemaName(value);
            return this;
        }

        /**
         * Takes backend time from {@code value} instead of the database's {@code CURRENT_TIMESTAMP}. For tests
         * and simulations only: in production, processes must share the database clock.
         */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * How long {@code tables()} serves API reads from memory ({@link CachingTableCache}); zero turns the
         * cache off. Default {@link CachingTableCache#DEFAULT_TTL}.
         */
        public Builder tableCacheTtl(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("tableCacheTtl must be >= 0, got " + value);
            }
            tableCacheTtl = value;
            return this;
        }

        /** How many reads the table-cache layer keeps; default {@link CachingTableCache#DEFAULT_MAXIMUM_SIZE}. */
        public Builder tableCacheSize(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("tableCacheSize must be >= 1, got " + value);
            }
            tableCacheSize = value;
            return this;
        }

        /**
         * When a table-cache upsert also writes a {@code health_snapshots} row; default
         * {@link HealthHistoryRule#defaults()}. Wire {@code SnowpackConfig.healthHistoryRule()} here.
         */
        public Builder healthHistoryRule(HealthHistoryRule value) {
            healthHistoryRule = Objects.requireNonNull(value, "healthHistoryRule");
            return this;
        }

        /**
         * @throws BackendException         when the database cannot be reached
         * @throws IllegalArgumentException when it is neither PostgreSQL nor H2
         */
        public SnowpackStore build() {
            Dialect dialect = dialectOf(dataSource);
            Jdbi jdbi = Jdbi.create(dataSource);
            // Statements share one binding set (for example :now), so not every statement uses every binding.
            jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
            Sql sql = new Sql(schema, dialect, clock);
            PostgresJobsReadyChannel readyChannel =
                    dialect == Dialect.POSTGRESQL ? new PostgresJobsReadyChannel(dataSource, schema) : null;
            return new JdbcBackend(new Connections(jdbi, dataSource), sql, readyChannel, tableCacheTtl, tableCacheSize,
                    healthHistoryRule,
                    "JdbcStore{" + dialect.name().toLowerCase(java.util.Locale.ROOT) + ", schema=" + schema + "}");
        }
    }

    static Dialect dialectOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return Dialect.of(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new BackendException("Cannot reach the database to recognise it: " + e.getMessage(), e);
        }
    }
}
