/**
 * One object that runs the parts of Snowpack a process is meant to run (API, scheduler duties, workers) over one
 * backend, and stops them gracefully in the right order.
 */
package io.snowpack.core.runtime;
