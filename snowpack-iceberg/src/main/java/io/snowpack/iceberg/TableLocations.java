package io.snowpack.iceberg;

import io.snowpack.core.ActionFailedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * Where tables keep their files, for orphan removal: before deleting anything under a table's location, every
 * other table of the catalog (every namespace, nested ones included) is checked, and the run is refused when any
 * of that table's locations ({@code location}, {@code write.data.path}, {@code write.metadata.path},
 * {@code write.object-storage.path}) lies inside this table's location, because its files would look orphaned.
 */
final class TableLocations {
    private static final List<String> LOCATION_PROPERTIES = List.of(TableProperties.WRITE_DATA_LOCATION,
            TableProperties.WRITE_METADATA_LOCATION, TableProperties.OBJECT_STORE_PATH,
            TableProperties.WRITE_FOLDER_STORAGE_LOCATION);

    private TableLocations() {
    }

    /** {@code location} with exactly one trailing {@code /}: a prefix that matches only what is inside it. */
    static String asDirectory(String location) {
        return location.endsWith("/") ? location : location + "/";
    }

    /**
     * @throws ActionFailedException (permanent) naming the first other table found inside {@code table}'s location
     */
    static void refuseTablesInside(Catalog catalog, TableIdentifier self, Table table) {
        String root = Reachability.normalize(table.location());
        String inside = asDirectory(root);
        for (TableIdentifier other : allTables(catalog)) {
            if (other.equals(self)) {
                continue;
            }
            Table candidate;
            try {
                candidate = catalog.loadTable(other);
            } catch (NoSuchTableException e) {
                continue; // dropped while we looked
            }
            for (String location : locations(candidate)) {
                String path = Reachability.normalize(location);
                if (path.equals(root) || asDirectory(path).startsWith(inside)) {
                    throw ActionFailedException.permanentFailure("remove_orphan_files refused: table " + other
                            + " keeps files at " + location + ", inside " + table.location()
                            + ", so its files would look orphaned", null);
                }
            }
        }
    }

    private static List<String> locations(Table table) {
        List<String> locations = new ArrayList<>();
        locations.add(table.location());
        Map<String, String> properties = table.properties();
        for (String key : LOCATION_PROPERTIES) {
            String value = properties.get(key);
            if (value != null && !value.isBlank()) {
                locations.add(value);
            }
        }
        return locations;
    }

    /** Every table of every namespace, walking nested namespaces where the catalog has them. */
    private static List<TableIdentifier> allTables(Catalog catalog) {
        List<TableIdentifier> tables = new ArrayList<>();
        if (!(catalog instanceof SupportsNamespaces namespaces)) {
            return tables;
        }
        Deque<Namespace> todo = new ArrayDeque<>(namespaces.listNamespaces(Namespace.empty()));
        java.util.Set<Namespace> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            Namespace namespace = todo.pop();
            if (!seen.add(namespace)) {
                continue;
            }
            tables.addAll(catalog.listTables(namespace));
            todo.addAll(namespaces.listNamespaces(namespace));
        }
        return tables;
    }
}
