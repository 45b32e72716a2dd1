/**
 * Snowpack's root: the unchecked {@link io.snowpack.core.SnowpackException} hierarchy, one subclass per kind
 * of failure, each with the {@link io.snowpack.core.ErrorCode} an adapter answers with.
 */
package io.snowpack.core;
