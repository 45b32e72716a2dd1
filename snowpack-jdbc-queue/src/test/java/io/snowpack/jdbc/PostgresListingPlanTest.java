package io.snowpack.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.model.TableId;
import io.snowpack.core.model.TableQuery;
import io.snowpack.core.spi.HealthHistoryRule;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A listing page deep into a large inventory costs what the first page costs: PostgreSQL answers the keyset
 * statement {@link JdbcTableCache} runs with a range scan of the primary key (in key order, so no sort, when there
 * is no filter), never a scan of the whole table (as {@code OFFSET} paging needs).
 */
class PostgresListingPlanTest {
    private static final int TABLES = 20_000;

    private static Jdbi jdbi;
    private static Sql sql;
    private static JdbcTableCache cache;

    @BeforeAll
    static void fill() {
        DataSource dataSource = TestDatabases.postgres();
        String schema = TestDatabases.newSchema(dataSource, "listing_plan");
        jdbi = Jdbi.create(dataSource);
        jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        sql = new Sql(schema, Dialect.POSTGRESQL, null);
        cache = new JdbcTableCache(new Connections(jdbi, dataSource), sql, HealthHistoryRule.defaults());
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO " + schema + ".table_cache (database, table_name, data_files, small_files,"
                    + " average_file_size_bytes, position_delete_files, equality_delete_files, total_records,"
                    + " total_bytes, snapshots, data_manifests, delete_manifests, metadata_file_size_bytes,"
                    + " format_version, properties, property_problems, reasons, maintenance_enabled,"
                    + " needs_maintenance, synced_at)"
                    + " SELECT 'db_' || (i % 20), 't_' || i, 1, 0, 1, 0, 0, 1, 1, 1, 1, 0, 1, 2, '{}', '[]', '[]',"
                    + " i % 2 = 0, false, now() FROM generate_series(1, ?) AS i", TABLES);
            h.execute("ANALYZE " + schema + ".table_cache");
        });
    }

    @Test
    void aPageAfterAKeyIsAnIndexRangeScanInKeyOrder() {
        TableId middle = TableId.of("db_7", "t_10007");

        assertThat(plan(TableQuery.all().after(middle).withLimit(200)))
                .contains("Index Scan using table_cache_pkey").contains("Index Cond")
                .doesNotContain("Seq Scan").doesNotContain("Sort");
        // With a filter the planner may fetch the (few) matching rows through the index and sort them; either way
        // the key condition is an index condition, never a filter over every row.
        assertThat(plan(TableQuery.all().withDatabase("db_7").after(middle).withLimit(200)))
                .contains("on table_cache_pkey").contains("Index Cond: ((ROW((database)::text, (table_name)::text) >")
                .doesNotContain("Seq Scan");
        assertThat(plan(TableQuery.all().withMaintenanceEnabled(true).after(middle).withLimit(200)))
                .containsPattern("(on|using) table_cache_(pkey|enabled_idx)").contains("Index Cond")
                .doesNotContain("Seq Scan");
    }

    @Test
    void pagesFollowedByKeyReadEveryTableOnce() {
        TableQuery page = TableQuery.all().withDatabase("db_3").withLimit(TableQuery.MAX_LIMIT);
        List<TableId> all = cache.list(page).stream().map(h -> h.table()).toList();
        assertThat(all).hasSize(TABLES / 20);
        assertThat(cache.lastKey(page)).isEmpty();
        assertThat(cache.lastKey(page.withLimit(all.size()))).contains(all.get(all.size() - 1));
        assertThat(cache.list(page.after(all.get(499)).withLimit(1))).extracting(h -> h.table())
                .containsExactly(all.get(500));
    }

    private static String plan(TableQuery query) {
        List<String> lines = jdbi.withHandle(h -> JdbcTableCache.bind(
                sql.query(h, "EXPLAIN " + cache.listTemplate(query)), query).mapTo(String.class).list());
        return String.join("\n", lines);
    }
}
