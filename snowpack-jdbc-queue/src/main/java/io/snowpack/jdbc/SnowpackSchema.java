package io.snowpack.jdbc;

import io.snowpack.core.BackendException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades Snowpack's tables. Migrations are versioned SQL files shipped in this jar
 * ({@code io/snowpack/jdbc/migration/<database>/V1__init.sql}, Flyway-style names with a {@code ${schema}}
 * placeholder, so a host that already runs Flyway can point it at them instead). Each is applied once, in its
 * own transaction, and recorded in {@code schema_version}. On PostgreSQL the whole run holds an advisory lock,
 * so processes that start together migrate one at a time and the others find the work done.
 */
public final class SnowpackSchema {
    /** The schema used when none is named. */
    public static final String DEFAULT_SCHEMA = "snowpack";

    private static final Logger LOG = LoggerFactory.getLogger(SnowpackSchema.class);
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Object H2_LOCK = new Object();

    /** Every migration, in order. */
    private static final List<Migration> MIGRATIONS = List.of(new Migration(1, "init", "V1__init.sql"),
            new Migration(2, "stop_confirmed_at", "V2__stop_confirmed_at.sql"),
            new Migration(3, "leader fence", "V3__leader_fence.sql"),
            new Migration(4, "previous metadata files", "V4__previous_metadata_files.sql"),
            new Migration(5, "deletion vectors", "V5__deletion_vectors.sql"),
            new Migration(6, "table listing", "V6__table_listing.sql"),
            new Migration(8, "job lookups", "V8__job_lookups.sql"),
            new Migration(9, "start jobs in place", "V9__start_jobs_in_place.sql"),
            new Migration(10, "lighter job writes", "V10__lighter_job_writes.sql"),
            new Migration(11, "settle function", "V11__settle_function.sql", Dialect.POSTGRESQL),
            new Migration(12, "completion index entries", "V12__completion_index_entries.sql", Dialect.POSTGRESQL),
            new Migration(13, "identifiers compared bytewise", "V13__identifiers_compared_bytewise.sql",
                    Dialect.POSTGRESQL));

    /** A migration for every dialect, or for {@code only} one (whose folder alone holds its script). */
    private record Migration(int version, String description, String script, Dialect only) {
        Migration(int version, String description, String script) {
            this(version, description, script, null);
        }

        boolean appliesTo(Dialect dialect) {
            return only == null || only == dialect;
        }
    }

    private SnowpackSchema() {
    }

    /** Migrates the {@value #DEFAULT_SCHEMA} schema. */
    public static void migrate(DataSource dataSource) {
        migrate(dataSource, DEFAULT_SCHEMA);
    }

    /**
     * Creates {@code schema} if needed and applies every migration it lacks.
     *
     * @return nothing; throws when a migration fails, leaving that migration's changes rolled back
     * @throws IllegalArgumentException when the schema name is not 1-63 characters of {@code [a-z0-9_]}
     * @throws BackendException         when the database fails or an applied migration was altered
     */
    public static void migrate(DataSource dataSource, String schema) {
        checkSchemaName(schema);
        try (Connection connection = dataSource.getConnection()) {
            Dialect dialect = Dialect.of(connection.getMetaData().getDatabaseProductName());
            if (dialect == Dialect.POSTGRESQL) {
                long lockKey = ("snowpack.migrate." + schema).hashCode();
                execute(connection, "SELECT pg_advisory_lock(" + lockKey + ")");
                try {
                    applyPending(connection, dialect, schema);
                } finally {
                    execute(connection, "SELECT pg_advisory_unlock(" + lockKey + ")");
                }
            } else {
                synchronized (H2_LOCK) {
                    applyPending(connection, dialect, schema);
                }
            }
        } catch (SQLException | IOException e) {
            throw new BackendException("Migrating schema " + schema + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a schema name: 1-63 characters of {@code [a-z0-9_]}, not starting with a digit.
     *
     * @return {@code schema}
     * @throws IllegalArgumentException naming the bad name
     */
    public static String checkSchemaName(String schema) {
        if (schema == null || !SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("Invalid schema name '" + schema
                    + "': expected 1-63 characters of [a-z0-9_], starting with a letter or underscore");
        }
        return schema;
    }

    private static void applyPending(Connection connection, Dialect dialect, String schema)
            throws SQLException, IOException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            execute(connection, "CREATE SCHEMA IF NOT EXISTS " + schema);
            execute(connection, "CREATE TABLE IF NOT EXISTS " + schema + ".schema_version ("
                    + "version INTEGER PRIMARY KEY, description VARCHAR(255) NOT NULL, script VARCHAR(255) NOT NULL, "
                    + "checksum BIGINT NOT NULL, installed_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            connection.commit();
            Map<Integer, Long> applied = appliedVersions(connection, schema);
            for (Migration migration : MIGRATIONS) {
                if (!migration.appliesTo(dialect)) {
                    continue;
                }
                String script = read(dialect.migrationFolder() + migration.script());
                long checksum = checksum(script);
                Long recorded = applied.get(migration.version());
                if (recorded != null) {
                    if (recorded != checksum) {
                        throw new SQLException("Migration " + migration.script() + " was changed after it was "
                                + "applied to schema " + schema + " (checksum " + recorded + ", now " + checksum + ")");
                    }
                    continue;
                }
                apply(connection, schema, migration, script, checksum);
            }
        } catch (SQLException | IOException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void apply(Connection connection, String schema, Migration migration, String script, long checksum)
            throws SQLException {
        long start = System.nanoTime();
        execute(connection, script.replace("${schema}", schema));
        try (PreparedStatement record = connection.prepareStatement("INSERT INTO " + schema + ".schema_version "
                + "(version, description, script, checksum, installed_at) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
            record.setInt(1, migration.version());
            record.setString(2, migration.description());
            record.setString(3, migration.script());
            record.setLong(4, checksum);
            record.executeUpdate();
        }
        connection.commit();
        LOG.info("Applied migration {} to schema {} in {} ms", migration.script(), schema,
                (System.nanoTime() - start) / 1_000_000);
    }

    private static Map<Integer, Long> appliedVersions(Connection connection, String schema) throws SQLException {
        Map<Integer, Long> applied = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version, checksum FROM " + schema + ".schema_version")) {
            while (rows.next()) {
                applied.put(rows.getInt(1), rows.getLong(2));
            }
        }
        return applied;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = SnowpackSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("Migration " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static long checksum(String script) {
        CRC32 crc = new CRC32();
        crc.update(script.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
