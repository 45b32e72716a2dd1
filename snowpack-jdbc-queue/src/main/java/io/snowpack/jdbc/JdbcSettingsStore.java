package io.snowpack.jdbc;

import io.snowpack.core.spi.SettingsStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code snowpack_settings} table, one row per setting. */
final class JdbcSettingsStore implements SettingsStore {
    /** The setting that holds drain mode, {@code true} or {@code false}; the submit statement reads it too. */
    static final String DRAIN_MODE = "drain_mode";

    private final Connections connections;
    private final Sql sql;
    private final String upsert;
    private final PlainStatement readDrainMode;

    JdbcSettingsStore(Connections connections, Sql sql) {
        this.connections = connections;
        this.sql = sql;
        this.readDrainMode = PlainStatement.of(sql,
                "SELECT setting_value FROM ${s}.snowpack_settings WHERE setting_name = :name");
        Map<String, String> values = new LinkedHashMap<>();
        values.put("setting_name", ":name");
        values.put("setting_value", ":value");
        values.put("updated_at", "${now}");
        this.upsert = sql.dialect().upsert("${s}.snowpack_settings", values, List.of("setting_name"));
    }

    /** Read on plain JDBC: every submit asks, so it costs no JDBI handle. */
    @Override
    public boolean drainMode() {
        return connections.withConnection(c -> {
            try (PreparedStatement read = c.prepareStatement(readDrainMode.text())) {
                readDrainMode.bind(read, sql, "name", DRAIN_MODE);
                try (ResultSet rs = read.executeQuery()) {
                    return rs.next() && Boolean.parseBoolean(rs.getString(1));
                }
            }
        });
    }

    @Override
    public void setDrainMode(boolean enabled) {
        connections.withHandle(h -> sql.update(h, upsert)
                .bind("name", DRAIN_MODE).bind("value", Boolean.toString(enabled)).execute());
    }
}
