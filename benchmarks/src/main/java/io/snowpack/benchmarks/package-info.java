/**
 * JMH benchmarks of Snowpack's hot paths (claims, locks, health sync) beside raw-SQL baselines.
 */
package io.snowpack.benchmarks;
