/**
 * Snowpack's configuration ({@link io.snowpack.core.config.SnowpackConfig}): immutable, validated, with
 * {@code DEFAULT_*} constants, readable from {@code SNOWPACK_*} environment variables or properties.
 */
package io.snowpack.core.config;
