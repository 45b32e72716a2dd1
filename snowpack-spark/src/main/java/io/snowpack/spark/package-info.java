/**
 * A {@link io.snowpack.core.spi.MaintenanceExecutor} on Iceberg's Spark actions, for tables too big for one JVM
 * ({@link io.snowpack.spark.SparkMaintenanceExecutor}), and the Spark session a worker drives them from
 * ({@link io.snowpack.spark.SparkSessions}).
 */
package io.snowpack.spark;
