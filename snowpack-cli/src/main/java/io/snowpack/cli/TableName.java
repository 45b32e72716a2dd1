package io.snowpack.cli;

import picocli.CommandLine;

/**
 * A table as typed on the command line, {@code database.table}, split at the first dot. Only the shape is checked
 * here; the API checks the names themselves (and answers 422 for a bad one).
 *
 * @param database the part before the first dot
 * @param table    the part after it
 */
public record TableName(String database, String table) {
    /** {@code database.table}. */
    public String key() {
        return database + "." + table;
    }

    @Override
    public String toString() {
        return key();
    }

    /** Parses {@code database.table}; anything else is a usage error (exit 2) naming the value. */
    static final class Converter implements CommandLine.ITypeConverter<TableName> {
        @Override
        public TableName convert(String value) {
            int dot = value.indexOf('.');
            if (dot <= 0 || dot == value.length() - 1) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a table: expected <database>.<table>, e.g. offer_service.offers");
            }
            return new TableName(value.substring(0, dot), value.substring(dot + 1));
        }
    }
}
