/**
 * The {@code reclaim_stale} sweeper: reclaims stalled work, settles expired locks, repairs inconsistent jobs
 * and prunes old records.
 */
package io.snowpack.core.sweeper;
