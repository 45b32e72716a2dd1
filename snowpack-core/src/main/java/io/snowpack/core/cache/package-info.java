/**
 * In-process caching of table-cache reads ({@link io.snowpack.core.cache.CachingTableCache}).
 */
package io.snowpack.core.cache;
