/**
 * Leader election over a {@link io.snowpack.core.spi.LeaderElector}: one process runs the sweeper and the
 * orchestrator.
 */
package io.snowpack.core.leader;
