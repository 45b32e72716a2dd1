/**
 * Health sync: the loop that keeps the table cache in step with the catalog, on one process at a time (the
 * {@code health_sync} lead). Each pass lists the tables of the configured databases, measures each table's health
 * with a bounded number in flight over the whole pass (databases overlap), upserts it, and removes tables the
 * catalog no longer lists. {@link io.snowpack.core.health.HealthSyncLag} reports the cache's lag in every process.
 * Start it with {@link io.snowpack.core.health.HealthSync#builder()}.
 */
package io.snowpack.core.health;
