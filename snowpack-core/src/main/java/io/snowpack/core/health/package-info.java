/**
 * Health sync: the loop that keeps the table cache in step with the catalog. Each pass lists the tables of the
 * configured databases, measures each table's health with a bounded number in flight, upserts it, and removes
 * tables the catalog no longer lists. Start it with {@link io.snowpack.core.health.HealthSync#builder()}.
 */
package io.snowpack.core.health;
