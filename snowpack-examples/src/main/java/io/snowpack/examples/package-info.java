/**
 * Runnable applications built from the Snowpack library: the embedded quickstart, a PostgreSQL API process
 * and a worker process.
 */
package io.snowpack.examples;
