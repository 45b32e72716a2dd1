/** Scheduling shared by the runtime's periodic loops (sweeper, health sync, orchestrator). */
package io.snowpack.core.schedule;
