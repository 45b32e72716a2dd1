/**
 * What a backend implements (queue, locks, jobs, table cache, leader election, settings, atomic units of work)
 * and what the Iceberg module implements (executor, table source). Each store SPI has a contract suite in
 * the {@code snowpack-core} test-jar that every implementation runs.
 */
package io.snowpack.core.spi;
