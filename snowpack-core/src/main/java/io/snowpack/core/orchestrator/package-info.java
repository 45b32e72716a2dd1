/**
 * The orchestrator: on the leader, at its interval, decides from the table cache which tables need maintenance
 * and submits their jobs, recording each run in {@code orchestrator_runs}.
 */
package io.snowpack.core.orchestrator;
