package io.snowpack.examples;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.TableSource;
import io.snowpack.iceberg.IcebergMaintenanceExecutor;
import io.snowpack.iceberg.IcebergTableSource;
import org.apache.iceberg.catalog.Catalog;

/**
 * The Iceberg side of an app: the executor that maintains tables and the source that measures them, over one
 * catalog.
 *
 * @param executor    runs the maintenance actions and dry runs
 * @param tableSource lists tables and computes their health
 */
public record IcebergParts(MaintenanceExecutor executor, TableSource tableSource) {
    public static IcebergParts over(Catalog catalog, SnowpackConfig config) {
        return new IcebergParts(IcebergMaintenanceExecutor.create(catalog, config),
                IcebergTableSource.create(catalog, config));
    }
}
