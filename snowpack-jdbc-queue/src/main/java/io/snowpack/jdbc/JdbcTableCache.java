package io.snowpack.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.model.TableQuery;
import io.snowpack.core.spi.CacheStatus;
import io.snowpack.core.spi.HealthHistoryRule;
import io.snowpack.core.spi.TableCache;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The {@code table_cache}, {@code health_snapshots} and {@code table_cache_status} tables. Listings page by key
 * ({@code (database, table_name)}, the primary key); a history row is written only when {@link HealthHistoryRule}
 * says so, decided from the table's newest history row ({@code health_snapshots_table_idx}).
 */
final class JdbcTableCache implements TableCache {
    static final List<String> COLUMNS = List.of("database", "table_name", "data_files", "small_files",
            "average_file_size_bytes", "position_delete_files", "equality_delete_files", "deletion_vectors", "total_records", "total_bytes",
            "snapshots", "oldest_snapshot_at", "data_manifests", "delete_manifests", "metadata_file_size_bytes",
            "previous_metadata_files", "format_version", "properties", "property_problems", "reasons", "maintenance_enabled",
            "needs_maintenance", "synced_at");
    private static final String SELECT = "SELECT " + String.join(", ", COLUMNS);
    /** Most tables {@link #getAll} reads in one statement. */
    static final int GET_ALL_CHUNK = 500;
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() { };

    private final Connections connections;
    private final Sql sql;
    private final String upsert;
    private final String appendHistory;
    private final HealthHistoryRule historyRule;

    JdbcTableCache(Connections connections, Sql sql, HealthHistoryRule historyRule) {
        this.connections = connections;
        this.sql = sql;
        this.historyRule = historyRule;
        Map<String, String> parameters = new LinkedHashMap<>();
        COLUMNS.forEach(column -> parameters.put(column, ":" + column));
        this.upsert = sql.dialect().upsert("${s}.table_cache", parameters, List.of("database", "table_name"));
        this.appendHistory = "INSERT INTO ${s}.health_snapshots (" + String.join(", ", COLUMNS) + ") VALUES ("
                + String.join(", ", COLUMNS.stream().map(c -> ":" + c).toList()) + ")";
    }

    @Override
    public void upsert(TableHealth health) {
        Map<String, Object> row = row(health);
        connections.inTransaction(h -> {
            sql.update(h, upsert).bindMap(row).execute();
            if (historyRule.appends(newestHistory(h, health.table()), health)) {
                sql.update(h, appendHistory).bindMap(row).execute();
            }
            return null;
        });
    }

    private Optional<TableHealth> newestHistory(Handle h, TableId table) {
        return sql.query(h, SELECT + " FROM ${s}.health_snapshots WHERE database = :database"
                        + " AND table_name = :table_name ORDER BY synced_at DESC, snapshot_id DESC LIMIT 1")
                .bind("database", table.database()).bind("table_name", table.table())
                .map(JdbcTableCache::health).findOne();
    }

    @Override
    public boolean remove(TableId table) {
        return connections.withHandle(h -> sql.update(h,
                        "DELETE FROM ${s}.table_cache WHERE database = :database AND table_name = :table_name")
                .bind("database", table.database()).bind("table_name", table.table()).execute()) == 1;
    }

    @Override
    public Optional<TableHealth> get(TableId table) {
        return connections.withHandle(h -> sql.query(h, SELECT
                        + " FROM ${s}.table_cache WHERE database = :database AND table_name = :table_name")
                .bind("database", table.database()).bind("table_name", table.table())
                .map(JdbcTableCache::health).findOne());
    }

    /** Reads the tables {@value #GET_ALL_CHUNK} at a time, each chunk in one statement keyed on the primary key. */
    @Override
    public Map<TableId, TableHealth> getAll(Collection<TableId> tables) {
        List<TableId> distinct = List.copyOf(new LinkedHashSet<>(tables));
        Map<TableId, TableHealth> found = new HashMap<>();
        connections.withHandle(h -> {
            for (int from = 0; from < distinct.size(); from += GET_ALL_CHUNK) {
                List<TableId> chunk = distinct.subList(from, Math.min(distinct.size(), from + GET_ALL_CHUNK));
                String keys = String.join(", ", Collections.nCopies(chunk.size(), "(?, ?)"));
                Query query = sql.query(h, SELECT + " FROM ${s}.table_cache WHERE (database, table_name) IN ("
                        + keys + ")");
                int position = 0;
                for (TableId table : chunk) {
                    query.bind(position++, table.database()).bind(position++, table.table());
                }
                query.map(JdbcTableCache::health).forEach(health -> found.put(health.table(), health));
            }
            return null;
        });
        Map<TableId, TableHealth> inOrder = new LinkedHashMap<>();
        for (TableId table : distinct) {
            TableHealth health = found.get(table);
            if (health != null) {
                inOrder.put(table, health);
            }
        }
        return inOrder;
    }

    @Override
    public List<TableHealth> list(TableQuery query) {
        return connections.withHandle(h -> bind(sql.query(h, listTemplate(query)), query)
                .map(JdbcTableCache::health).list());
    }

    /** The statement of {@link #list}: filters, the keyset condition, the key order, the page. */
    String listTemplate(TableQuery query) {
        return SELECT + " FROM ${s}.table_cache" + where(query)
                + " ORDER BY database, table_name LIMIT :limit OFFSET :offset";
    }

    @Override
    public Optional<TableId> lastKey(TableQuery query) {
        String template = "SELECT database, table_name FROM ${s}.table_cache" + where(query)
                + " ORDER BY database, table_name LIMIT 1 OFFSET :last";
        return connections.withHandle(h -> bind(sql.query(h, template), query)
                .bind("last", (long) query.offset() + query.limit() - 1)
                .map((rs, ctx) -> new TableId(rs.getString(1), rs.getString(2))).findOne());
    }

    private String where(TableQuery query) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        query.database().ifPresent(d -> where.append(" AND database = :database"));
        query.maintenanceEnabled().ifPresent(e -> where.append(" AND maintenance_enabled = :enabled"));
        query.after().ifPresent(key -> where.append(" AND ").append(sql.dialect().keyAfter("database", "table_name")));
        return where.toString();
    }

    /** Binds what {@link #listTemplate} and {@link #lastKey} ask for. */
    static Query bind(Query select, TableQuery query) {
        select.bind("limit", query.limit()).bind("offset", query.offset());
        query.database().ifPresent(d -> select.bind("database", d));
        query.maintenanceEnabled().ifPresent(e -> select.bind("enabled", e));
        query.after().ifPresent(key -> select.bind("after_database", key.database())
                .bind("after_table_name", key.table()));
        return select;
    }

    @Override
    public List<TableId> tableIds(String database) {
        return connections.withHandle(h -> sql.query(h,
                        "SELECT database, table_name FROM ${s}.table_cache WHERE database = :database ORDER BY table_name")
                .bind("database", database)
                .map((rs, ctx) -> new TableId(rs.getString(1), rs.getString(2))).list());
    }

    @Override
    public List<TableHealth> history(TableId table, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        return connections.withHandle(h -> sql.query(h, SELECT + " FROM ${s}.health_snapshots"
                        + " WHERE database = :database AND table_name = :table_name"
                        + " ORDER BY synced_at DESC, snapshot_id DESC LIMIT :limit")
                .bind("database", table.database()).bind("table_name", table.table()).bind("limit", limit)
                .map(JdbcTableCache::health).list());
    }

    @Override
    public Instant markSynced() {
        return connections.inTransaction(h -> {
            sql.update(h, "UPDATE ${s}.table_cache_status SET last_synced = ${now} WHERE id = 1").execute();
            return sql.query(h, "SELECT last_synced FROM ${s}.table_cache_status WHERE id = 1")
                    .map((rs, ctx) -> Sql.instant(rs, 1)).one();
        });
    }

    @Override
    public CacheStatus status() {
        return connections.withHandle(h -> sql.query(h, "SELECT (SELECT last_synced FROM ${s}.table_cache_status"
                        + " WHERE id = 1) AS last_synced, (SELECT COUNT(*) FROM ${s}.table_cache) AS table_count")
                .map((rs, ctx) -> new CacheStatus(Optional.ofNullable(Sql.instant(rs, "last_synced")),
                        rs.getLong("table_count")))
                .one());
    }

    @Override
    public int pruneHistory(Duration retention) {
        return connections.withHandle(h -> sql.update(h,
                        "DELETE FROM ${s}.health_snapshots WHERE synced_at < ${nowMinusAge}")
                .bind("minus_age_micros", -Sql.micros(retention)).execute());
    }

    private static Map<String, Object> row(TableHealth health) {
        Map<String, Object> row = new HashMap<>();
        row.put("database", health.table().database());
        row.put("table_name", health.table().table());
        row.put("data_files", health.dataFiles());
        row.put("small_files", health.smallFiles());
        row.put("average_file_size_bytes", health.averageFileSizeBytes());
        row.put("position_delete_files", health.positionDeleteFiles());
        row.put("equality_delete_files", health.equalityDeleteFiles());
        row.put("total_records", health.totalRecords());
        row.put("total_bytes", health.totalBytes());
        row.put("snapshots", health.snapshots());
        row.put("oldest_snapshot_at", Sql.toOffset(health.oldestSnapshotAt()));
        row.put("data_manifests", health.dataManifests());
        row.put("delete_manifests", health.deleteManifests());
        row.put("metadata_file_size_bytes", health.metadataFileSizeBytes());
        row.put("previous_metadata_files", health.previousMetadataFiles());
        row.put("deletion_vectors", health.deletionVectors());
        row.put("format_version", health.formatVersion());
        row.put("properties", Json.write(health.properties()));
        row.put("property_problems", Json.write(health.propertyProblems()));
        row.put("reasons", Json.write(health.reasons()));
        row.put("maintenance_enabled", health.maintenanceEnabled());
        row.put("needs_maintenance", health.needsMaintenance());
        row.put("synced_at", Sql.toOffset(health.syncedAt()));
        return row;
    }

    private static TableHealth health(ResultSet rs, StatementContext ctx) throws SQLException {
        return new TableHealth(new TableId(rs.getString("database"), rs.getString("table_name")),
                rs.getLong("data_files"), rs.getLong("small_files"), rs.getLong("average_file_size_bytes"),
                rs.getLong("position_delete_files"), rs.getLong("equality_delete_files"), rs.getLong("deletion_vectors"),
                rs.getLong("total_records"),
                rs.getLong("total_bytes"), rs.getInt("snapshots"), Sql.instant(rs, "oldest_snapshot_at"),
                rs.getInt("data_manifests"), rs.getInt("delete_manifests"), rs.getLong("metadata_file_size_bytes"),
                rs.getInt("previous_metadata_files"),
                rs.getInt("format_version"), Json.read(rs.getString("properties"), STRING_MAP),
                Json.read(rs.getString("property_problems"), STRING_LIST), Json.read(rs.getString("reasons"), STRING_LIST),
                Sql.instant(rs, "synced_at"));
    }
}
