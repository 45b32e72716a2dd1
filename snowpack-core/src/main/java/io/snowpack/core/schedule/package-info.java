/**
 * Scheduling shared by the periodic loops (sweeper, health sync, orchestrator, leader election) and the threads
 * Snowpack runs on.
 */
package io.snowpack.core.schedule;
