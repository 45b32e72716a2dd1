package io.snowpack.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement template rendered once for plain JDBC, for the few statements on the queue's hot path (claim,
 * heartbeat, complete): named parameters become {@code ?}, and which name goes where is worked out here once,
 * so a call binds its values by position with no per-call lookup and no JDBI handle. Text in single quotes and
 * PostgreSQL {@code ::} casts are left alone.
 */
final class PlainStatement {
    private final String text;
    private final String[] parameters;

    private PlainStatement(String text, String[] parameters) {
        this.text = text;
        this.parameters = parameters;
    }

    /** {@code template} rendered by {@code sql}, with its named parameters turned into positional ones. */
    static PlainStatement of(Sql sql, String template) {
        String rendered = sql.render(template);
        StringBuilder text = new StringBuilder(rendered.length());
        List<String> names = new ArrayList<>();
        boolean quoted = false;
        for (int i = 0; i < rendered.length(); i++) {
            char c = rendered.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            }
            if (!quoted && c == '?') {
                names.add(null); // positional: bound in order by bindInOrder
                text.append(c);
                continue;
            }
            boolean named = !quoted && c == ':' && i + 1 < rendered.length()
                    && isNameStart(rendered.charAt(i + 1)) && (i == 0 || rendered.charAt(i - 1) != ':');
            if (!named) {
                text.append(c);
                continue;
            }
            int end = i + 1;
            while (end < rendered.length() && isNamePart(rendered.charAt(end))) {
                end++;
            }
            names.add(rendered.substring(i + 1, end));
            text.append('?');
            i = end - 1;
        }
        return new PlainStatement(text.toString(), names.toArray(String[]::new));
    }

    String text() {
        return text;
    }

    /**
     * Binds {@code values}, given as name/value pairs, to every position of each name; {@code :now} (present when
     * the store runs on a configured clock) is bound to {@code sql}'s time.
     *
     * @throws IllegalArgumentException when a parameter of the statement has no value
     */
    void bind(PreparedStatement statement, Sql sql, Object... values) throws SQLException {
        for (int position = 0; position < parameters.length; position++) {
            String name = parameters[position];
            statement.setObject(position + 1, "now".equals(name) ? Sql.toOffset(sql.clockNow()) : valueOf(name, values));
        }
    }

    /**
     * Binds a statement written with {@code ?} placeholders: {@code values} in order, and {@code :now} (present when
     * the store runs on a configured clock) to {@code sql}'s time wherever it appears.
     *
     * @throws IllegalArgumentException when the number of values does not match the placeholders
     */
    void bindInOrder(PreparedStatement statement, Sql sql, List<Object> values) throws SQLException {
        int next = 0;
        for (int position = 0; position < parameters.length; position++) {
            if ("now".equals(parameters[position])) {
                statement.setObject(position + 1, Sql.toOffset(sql.clockNow()));
            } else if (parameters[position] == null && next < values.size()) {
                statement.setObject(position + 1, values.get(next++));
            } else {
                throw new IllegalArgumentException("No value for parameter " + (position + 1) + " of " + text);
            }
        }
        if (next != values.size()) {
            throw new IllegalArgumentException(values.size() + " values for " + next + " placeholders of " + text);
        }
    }

    private static Object valueOf(String name, Object[] values) {
        for (int i = 0; i < values.length; i += 2) {
            if (values[i].equals(name)) {
                return values[i + 1];
            }
        }
        throw new IllegalArgumentException("No value for parameter :" + name);
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    @Override
    public String toString() {
        return text;
    }
}
