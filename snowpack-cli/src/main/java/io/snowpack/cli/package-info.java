/**
 * The {@code snowpack} command line: {@link io.snowpack.cli.SnowpackCli} runs it, {@link io.snowpack.cli.ExitCodes}
 * lists what its exit codes mean. A client of the REST API only (picocli, Jackson, {@code java.net.http}); it
 * depends on no Snowpack module.
 */
package io.snowpack.cli;
