package io.snowpack.iceberg;

import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.model.TableId;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/** Snowpack table ids to Iceberg identifiers (the database is the namespace) and fresh table loads. */
final class Tables {
    private Tables() {
    }

    static TableIdentifier identifier(TableId table) {
        return TableIdentifier.of(Namespace.of(table.database()), table.table());
    }

    /**
     * Loads the table's current metadata, never from a cache.
     *
     * @throws TableNotFoundException when the catalog has no such table
     */
    static Table load(Catalog catalog, TableId table) {
        try {
            return catalog.loadTable(identifier(table));
        } catch (NoSuchTableException e) {
            throw new TableNotFoundException(table.key());
        }
    }
}
