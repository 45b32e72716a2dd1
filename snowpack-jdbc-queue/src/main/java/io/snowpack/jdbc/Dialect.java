package io.snowpack.jdbc;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where PostgreSQL and H2 differ: this small set of fragments and the claim strategy. Every other statement is
 * shared.
 */
enum Dialect {
    POSTGRESQL("postgresql") {
        @Override
        String nextValue(String qualifiedSequence) {
            return "nextval('" + qualifiedSequence + "')";
        }

        @Override
        String plusMicros(String timestamp, String microsParameter) {
            return "(" + timestamp + " + " + microsParameter + " * INTERVAL '1 microsecond')";
        }

        @Override
        String lockRowsShared() {
            return " FOR SHARE";
        }
    },
    H2("h2") {
        @Override
        String nextValue(String qualifiedSequence) {
            return "NEXT VALUE FOR " + qualifiedSequence;
        }

        @Override
        String plusMicros(String timestamp, String microsParameter) {
            return "DATEADD(MICROSECOND, " + microsParameter + ", " + timestamp + ")";
        }

        @Override
        String lockRowsShared() {
            return " FOR UPDATE"; // H2 has no shared row locks
        }
    };

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    /** An expression giving the sequence's next value. */
    abstract String nextValue(String qualifiedSequence);

    /** An expression adding a parameter's microseconds to a timestamp expression. */
    abstract String plusMicros(String timestamp, String microsParameter);

    /**
     * The clause that locks the rows a {@code SELECT} returns until the transaction ends, against updates and
     * deletes by others: shared where the database has shared row locks.
     */
    abstract String lockRowsShared();

    /**
     * A data-change statement that also answers the rows it touched, with {@code columns}: the rows as
     * deleted, or as left by an insert or update.
     */
    String returning(String dml, String columns) {
        if (this == POSTGRESQL) {
            return dml + " RETURNING " + columns;
        }
        String delta = dml.stripLeading().regionMatches(true, 0, "DELETE", 0, 6) ? "OLD" : "FINAL";
        return "SELECT " + columns + " FROM " + delta + " TABLE (" + dml + ")";
    }

    /**
     * Inserts a row or replaces the row with the same key. {@code values} maps each column to the SQL expression
     * of its value (usually a named parameter).
     */
    String upsert(String table, Map<String, String> values, List<String> key) {
        String columns = String.join(", ", values.keySet());
        String expressions = String.join(", ", values.values());
        if (this == H2) {
            return "MERGE INTO " + table + " (" + columns + ") KEY (" + String.join(", ", key) + ") VALUES ("
                    + expressions + ")";
        }
        String updates = values.keySet().stream().filter(c -> !key.contains(c)).map(c -> c + " = EXCLUDED." + c)
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + columns + ") VALUES (" + expressions + ") ON CONFLICT ("
                + String.join(", ", key) + ") DO UPDATE SET " + updates;
    }

    /**
     * Rows whose key ({@code first}, {@code second}) sorts after the bound {@code :after_first},
     * {@code :after_second} in the key's own order: PostgreSQL's row comparison, which it answers with a range scan
     * of the primary key; on H2 the equivalent {@code OR} form, which its planner reads as index conditions.
     */
    String keyAfter(String first, String second) {
        if (this == POSTGRESQL) {
            return "(" + first + ", " + second + ") > (:after_" + first + ", :after_" + second + ")";
        }
        return "(" + first + " > :after_" + first + " OR (" + first + " = :after_" + first + " AND " + second
                + " > :after_" + second + "))";
    }

    /** Class-path folder of this dialect's migrations. */
    String migrationFolder() {
        return "io/snowpack/jdbc/migration/" + migrationFolder + "/";
    }

    /**
     * The dialect of a database product name as the driver reports it.
     *
     * @throws IllegalArgumentException for any other database
     */
    static Dialect of(String databaseProductName) {
        String name = databaseProductName.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.contains("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("Unsupported database '" + databaseProductName
                + "': Snowpack's JDBC backend supports PostgreSQL and H2");
    }
}
