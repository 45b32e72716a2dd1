package io.snowpack.examples;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of one app process: a Prometheus registry (scraped at {@code /metrics}), and when
 * {@code SNOWPACK_OTLP_ENDPOINT} is set an OTLP registry pushing the same meters, both behind one composite that
 * Snowpack records into; the JVM's meters (memory, GC, threads, class loading, processor, uptime) on it; and, in a
 * worker with {@code SNOWPACK_METRICS_PORT}, the small server of {@code /metrics} and {@code /healthz}. The
 * connection pool's meters are added by {@link AppEnvironment#dataSource(AppEnvironment.AppRole, MeterRegistry)}.
 * Closing it stops the server and pushes the last OTLP step.
 */
public final class ProcessMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessMetrics.class);

    private final PrometheusMeterRegistry prometheus;
    private final MeterRegistry registry;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private MetricsServer server;

    private ProcessMetrics(String service, Optional<URI> otlpEndpoint, Duration otlpStep) {
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (otlpEndpoint.isPresent()) {
            Map<String, String> otlp = Map.of("otlp.url", otlpEndpoint.get().toString(),
                    "otlp.step", otlpStep.toSeconds() + "s",
                    "otlp.resourceAttributes", "service.name=" + service);
            OtlpMeterRegistry push = new OtlpMeterRegistry((OtlpConfig) otlp::get, Clock.SYSTEM);
            CompositeMeterRegistry composite = new CompositeMeterRegistry();
            composite.add(prometheus);
            composite.add(push);
            registry = composite;
            closeables.add(push::close);
            LOG.info("Pushing metrics over OTLP to {} every {} s as service.name={}", otlpEndpoint.get(),
                    otlpStep.toSeconds(), service);
        } else {
            registry = prometheus;
        }
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeables.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * The meters of a {@code role} process configured by {@code environment}: OTLP when
     * {@code SNOWPACK_OTLP_ENDPOINT} is set; for a worker with {@code SNOWPACK_METRICS_PORT}, the metrics server,
     * started.
     *
     * @throws java.io.UncheckedIOException when the metrics port cannot be bound
     */
    public static ProcessMetrics start(AppEnvironment environment, AppEnvironment.AppRole role) {
        ProcessMetrics metrics = new ProcessMetrics(role.applicationName(), environment.otlpEndpoint(),
                environment.otlpStep());
        if (role == AppEnvironment.AppRole.WORKER) {
            environment.metricsPort().ifPresent(port -> {
                try {
                    metrics.server = MetricsServer.start(environment.http().bindAddress(), port, metrics.prometheus,
                            metrics.registry);
                } catch (RuntimeException e) {
                    metrics.close();
                    throw e;
                }
            });
        }
        return metrics;
    }

    /** The meters of the quickstart: Prometheus (served by its API) and the JVM's, no OTLP. */
    static ProcessMetrics quickstart() {
        return new ProcessMetrics("snowpack-quickstart", Optional.empty(), Duration.ofMinutes(1));
    }

    /** The registry Snowpack records into: the Prometheus one, or a composite of it and the OTLP one. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The port {@code /metrics} and {@code /healthz} are served on, when this process serves them itself. */
    public Optional<Integer> port() {
        return Optional.ofNullable(server).map(MetricsServer::port);
    }

    /** Stops the metrics server, then closes the registries (OTLP pushes what it has). Idempotent. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
            }
        }
        closeables.clear();
        registry.close();
        prometheus.close();
    }
}
