package io.snowpack.core.health;

import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.model.TableQuery;
import io.snowpack.core.spi.TableCache;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When health sync covers every database of the catalog, removes the cached tables of databases the catalog no
 * longer has. Reads the cache one page at a time, keeping only database names.
 */
final class DroppedDatabases {
    private static final Logger LOG = LoggerFactory.getLogger(DroppedDatabases.class);
    /** Cached tables read per page while looking for dropped databases. */
    static final int PAGE_SIZE = 1000;

    private DroppedDatabases() {
    }

    /** Removes every cached table whose database is not in {@code catalog}; returns how many. */
    static int removeAllBut(TableCache cache, Collection<String> catalog) {
        Set<String> dropped = new TreeSet<>();
        TableQuery page = TableQuery.all().withPage(0, PAGE_SIZE);
        while (true) {
            List<TableHealth> rows = cache.list(page);
            for (TableHealth row : rows) {
                if (!catalog.contains(row.table().database())) {
                    dropped.add(row.table().database());
                }
            }
            if (rows.size() < PAGE_SIZE) {
                break;
            }
            page = page.withPage(page.offset() + PAGE_SIZE, PAGE_SIZE);
        }
        int removed = 0;
        for (String database : dropped) {
            int before = removed;
            for (TableId table : cache.tableIds(database)) {
                removed += cache.remove(table) ? 1 : 0;
            }
            LOG.info("Health sync: database {} is no longer in the catalog; removed its {} cached tables", database,
                    removed - before);
        }
        return removed;
    }
}
