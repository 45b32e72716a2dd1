/**
 * The REST API of DESIGN §6. {@link io.snowpack.http.SnowpackApi} turns an {@link io.snowpack.http.ApiRequest}
 * into an {@link io.snowpack.http.ApiResponse} with no HTTP framework, so a host can mount it in its own server;
 * {@link io.snowpack.http.SnowpackHttpServer} serves it over the JDK's built-in HTTP server, and
 * {@link io.snowpack.http.SnowpackHttp} plugs that server into a {@link io.snowpack.core.runtime.SnowpackRuntime}.
 */
package io.snowpack.http;
