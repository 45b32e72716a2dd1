package io.snowpack.iceberg;

import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.TableSource;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;

/**
 * The tables of any Iceberg {@link Catalog} (its namespaces are the databases) and their health, read from
 * metadata only: snapshot list, manifest list, and manifests streamed once for sizes and delete counts. Tables are
 * loaded fresh for every call and nothing of them is kept, so memory does not grow with the number of tables.
 * Thread-safe as long as the catalog is.
 */
public final class IcebergTableSource implements TableSource {
    private final Catalog catalog;
    private final HealthReader reader;

    private IcebergTableSource(Catalog catalog, SnowpackConfig config) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.reader = new HealthReader(Objects.requireNonNull(config, "config"));
    }

    /** A source over {@code catalog}; thresholds and defaults come from {@code config}. */
    public static IcebergTableSource create(Catalog catalog, SnowpackConfig config) {
        return new IcebergTableSource(catalog, config);
    }

    /** Single-level namespaces of the catalog; empty when it does not support namespaces. */
    @Override
    public List<String> databases() {
        if (!(catalog instanceof SupportsNamespaces namespaces)) {
            return List.of();
        }
        return namespaces.listNamespaces().stream().filter(ns -> ns.length() == 1).map(ns -> ns.level(0))
                .sorted().toList();
    }

    @Override
    public List<TableId> tables(String database) {
        try {
            return catalog.listTables(Namespace.of(database)).stream().map(TableIdentifier::name)
                    .filter(TableId::isValidName).sorted().map(name -> TableId.of(database, name)).toList();
        } catch (NoSuchNamespaceException e) {
            return List.of();
        }
    }

    /**
     * @throws TableNotFoundException when the catalog has no such table
     */
    @Override
    public TableHealth health(TableId table) {
        Table loaded = Tables.load(catalog, table);
        return reader.read(table, loaded, Instant.now());
    }
}
