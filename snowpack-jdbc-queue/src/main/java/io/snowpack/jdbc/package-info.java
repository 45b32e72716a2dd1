/**
 * PostgreSQL and H2 implementations of every Snowpack store SPI, built on JDBI from a host-supplied
 * {@code DataSource}, with versioned SQL migrations shipped on the class path.
 */
package io.snowpack.jdbc;
