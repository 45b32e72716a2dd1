package io.snowpack.http;

import io.snowpack.core.runtime.ApiTransport;
import io.snowpack.core.runtime.SnowpackRuntime;
import java.util.Objects;
import java.util.Optional;

/**
 * The REST API for a {@link SnowpackRuntime} over the JDK's built-in HTTP server:
 * {@code SnowpackRuntime.builder()...api(SnowpackHttp.server(HttpSettings.defaults())).build().start()}. When the
 * runtime's registry is (or holds) a Prometheus registry, {@code /metrics} serves it.
 *
 * <p>The JDK server sends a response's headers and body in separate writes; with Nagle's algorithm on, each answer
 * then waits for the client's delayed ACK (about 40 ms). A host that serves the API this way should start its JVM
 * with {@code -Dsun.net.httpserver.nodelay=true} (Snowpack's own executables set it in {@code main}); no library
 * class sets a system property.
 */
public final class SnowpackHttp {
    private SnowpackHttp() {
    }

    /** A transport that binds {@code settings}' address when the runtime starts. */
    public static ApiTransport server(HttpSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return context -> {
            SnowpackApi.Builder builder = SnowpackApi.builder().store(context.store()).service(context.service())
                    .tableSource(context.tableSource()).config(context.config()).settings(settings)
                    .meterRegistry(context.meterRegistry());
            context.readinessDetails().forEach(builder::readinessDetail);
            SnowpackApi api = builder.build();
            SnowpackHttpServer server;
            try {
                server = SnowpackHttpServer.bind(api, settings);
            } catch (RuntimeException e) {
                api.close();
                throw e;
            }
            return new Bound(api, server);
        };
    }

    private record Bound(SnowpackApi api, SnowpackHttpServer server) implements ApiTransport.Binding {
        @Override
        public void serve() {
            server.serve();
        }

        @Override
        public Optional<Integer> port() {
            return Optional.of(server.port());
        }

        @Override
        public void close() {
            try {
                server.close();
            } finally {
                api.close();
            }
        }
    }
}
