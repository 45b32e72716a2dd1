package io.snowpack.core.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a {@link SnowpackRuntime} with the {@link Role#API} role serves the REST API. Core has no HTTP server of its
 * own: {@code snowpack-http} provides one over the JDK server, and a host can mount the API on its own web server
 * instead. The runtime binds the transport before it takes any lease or claims any job, so an address in use fails
 * the start early, and lets it answer only once every other part has started.
 */
@FunctionalInterface
public interface ApiTransport {
    /**
     * Reserves where the API will answer (binds a port, for example) without answering yet.
     *
     * @throws RuntimeException when it cannot: the runtime's start fails with it
     */
    Binding bind(Context context);

    /** A bound API: {@link #serve()} starts answering; {@link #close()} stops and releases everything. */
    interface Binding extends AutoCloseable {
        /** Starts answering requests. */
        void serve();

        /** The TCP port answered on, when the transport owns one. */
        default Optional<Integer> port() {
            return Optional.empty();
        }

        /** Stops answering and releases the address; idempotent. */
        @Override
        void close();
    }

    /**
     * What the API serves: the backend, the service every job endpoint goes through, the table source for live
     * health (null without one), the configuration, the registry Snowpack records into, and extra readiness details
     * that never make the API unready.
     */
    record Context(SnowpackStore store, MaintenanceService service, TableSource tableSource, SnowpackConfig config,
            MeterRegistry meterRegistry, Map<String, Supplier<String>> readinessDetails) {
        public Context {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(meterRegistry, "meterRegistry");
            readinessDetails = Collections.unmodifiableMap(new LinkedHashMap<>(readinessDetails));
        }
    }
}
