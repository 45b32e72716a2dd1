/**
 * Apache Iceberg implementations of {@code TableSource} (table discovery and health from metadata) and
 * {@code MaintenanceExecutor} (the five maintenance actions), in plain Java on iceberg-core, iceberg-data
 * and iceberg-parquet.
 */
package io.snowpack.iceberg;
