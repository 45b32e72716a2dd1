/**
 * The in-memory backend of every store SPI ({@link io.snowpack.core.memory.InMemoryStore}).
 */
package io.snowpack.core.memory;
