/**
 * Choosing the executor per table: {@link io.snowpack.core.routing.RoutingExecutor} hands each action to the local
 * or the Spark executor, as {@link io.snowpack.core.policy.ExecutorRouting} decides from the table's cached health.
 */
package io.snowpack.core.routing;
