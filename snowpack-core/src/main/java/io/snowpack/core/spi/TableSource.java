package io.snowpack.core.spi;

import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import java.util.List;

/**
 * Where tables come from: a catalog's databases and tables, and the health of one table computed from its
 * metadata (implemented for Iceberg in {@code snowpack-iceberg}).
 */
public interface TableSource {
    /** Every database (namespace) of the catalog. */
    List<String> databases();

    /** The tables of {@code database}; empty when the database has none or does not exist. */
    List<TableId> tables(String database);

    /**
     * Computes the table's health now. Nothing of the table is retained once it returns.
     *
     * @throws TableNotFoundException when the table does not exist
     */
    TableHealth health(TableId table);
}
