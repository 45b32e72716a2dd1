/**
 * The maintenance policy: decides, from a table's cached health and its {@code snowpack.*} properties, whether the
 * orchestrator maintains it now and with which actions, and says why in plain sentences.
 */
package io.snowpack.core.policy;
