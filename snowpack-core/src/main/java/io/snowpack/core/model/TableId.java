package io.snowpack.core.model;

import io.snowpack.core.InvalidTableNameException;
import java.util.Comparator;

/**
 * Identifies a table by database and table name. Both names follow the Glue/Hive rules: 1 to 255 characters of
 * {@code [a-z0-9_]}, starting with a letter or an underscore. An instance is always valid.
 *
 * @param database the database (Iceberg namespace) name
 * @param table    the table name
 */
public record TableId(String database, String table) {
    /** Longest database or table name accepted. */
    public static final int MAX_NAME_LENGTH = 255;
    /** Database, then table name, by character code: the order of table listings in every backend. */
    public static final Comparator<TableId> KEY_ORDER =
            Comparator.comparing(TableId::database).thenComparing(TableId::table);

    /**
     * @throws InvalidTableNameException when either name breaks the naming rules; the message names the bad
     *                                   value and the rule
     */
    public TableId {
        checkName("database", database);
        checkName("table", table);
    }

    /** Same as the constructor, for readability at call sites. */
    public static TableId of(String database, String table) {
        return new TableId(database, table);
    }

    /**
     * Parses a key of the form {@code database.table}.
     *
     * @throws InvalidTableNameException when the key does not have exactly one dot or a name is invalid
     */
    public static TableId parse(String key) {
        if (key == null) {
            throw new InvalidTableNameException("Invalid table key: null; expected 'database.table'");
        }
        int dot = key.indexOf('.');
        if (dot < 0 || dot != key.lastIndexOf('.')) {
            throw new InvalidTableNameException(
                    "Invalid table key '" + Text.abbreviate(key) + "'; expected 'database.table' with exactly one dot");
        }
        return new TableId(key.substring(0, dot), key.substring(dot + 1));
    }

    /** {@code true} when {@code name} is a valid database or table name. */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        char first = name.charAt(0);
        if (!(first >= 'a' && first <= 'z') && first != '_') {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    /** The key {@code database.table}, used for table locks and cache rows. */
    public String key() {
        return database + '.' + table;
    }

    @Override
    public String toString() {
        return key();
    }

    private static void checkName(String what, String name) {
        if (!isValidName(name)) {
            throw new InvalidTableNameException("Invalid " + what + " name '" + Text.abbreviate(name)
                    + "': expected 1-" + MAX_NAME_LENGTH
                    + " characters of [a-z0-9_], starting with a letter or underscore");
        }
    }

}
