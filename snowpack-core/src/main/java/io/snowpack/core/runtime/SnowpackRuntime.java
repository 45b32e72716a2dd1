package io.snowpack.core.runtime;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.health.HealthSync;
import io.snowpack.core.leader.LeaderElection;
import io.snowpack.core.orchestrator.Orchestrator;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import io.snowpack.core.sweeper.Sweeper;
import io.snowpack.core.worker.Worker;
import io.snowpack.http.HttpSettings;
import io.snowpack.http.SnowpackApi;
import io.snowpack.http.SnowpackHttpServer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the parts of Snowpack chosen by {@link Role} over one backend, sharing one configuration, one scheduler
 * thread pool and one Prometheus registry. {@link #start()} starts them (scheduler duties only while this process
 * holds the {@code scheduler} lease); {@link #close()} stops them in reverse order: the API stops answering, workers
 * hand running jobs back, the leader lease is released. The store itself is the caller's to close.
 *
 * <pre>{@code
 * try (SnowpackRuntime runtime = SnowpackRuntime.builder().store(store).executor(executor).tableSource(source)
 *         .config(config).roles(Role.API, Role.SCHEDULER, Role.WORKER).build().start()) {
 *     runtime.awaitShutdown();
 * }
 * }</pre>
 */
public final class SnowpackRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnowpackRuntime.class);

    private final SnowpackStore store;
    private final MaintenanceExecutor executor;
    private final TableSource tableSource;
    private final SnowpackConfig config;
    private final HttpSettings http;
    private final Set<Role> roles;
    private final int workerSlots;
    private final PrometheusMeterRegistry registry;
    private final MaintenanceService service;
    private final Map<String, Supplier<String>> readinessDetails;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private ScheduledExecutorService scheduler;
    private LeaderElection leader;
    private HealthSync healthSync;
    private Orchestrator orchestrator;
    private SnowpackHttpServer server;
    private boolean started;
    private boolean closed;

    private SnowpackRuntime(Builder b) {
        store = Objects.requireNonNull(b.store, "store");
        config = b.config;
        roles = b.roles.isEmpty() ? EnumSet.allOf(Role.class) : EnumSet.copyOf(b.roles);
        executor = b.executor;
        tableSource = b.tableSource;
        http = b.http;
        workerSlots = b.workerSlots;
        readinessDetails = new LinkedHashMap<>(b.readinessDetails);
        registry = b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (roles.contains(Role.WORKER) && executor == null) {
            throw new IllegalStateException("The WORKER role needs an executor: call executor(...) before build()");
        }
        service = MaintenanceService.builder().store(store).config(config).meterRegistry(registry)
                .executor(executor).build();
    }

    /** A builder; {@link Builder#store} is required, and {@link Builder#executor} for the worker role. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts every part of every role. A part that fails to start stops the ones already started and the failure
     * propagates (for example an API port already in use).
     *
     * @return this runtime
     */
    public synchronized SnowpackRuntime start() {
        if (started) {
            throw new IllegalStateException("The runtime is already started");
        }
        started = true;
        LOG.info("Starting Snowpack ({}) on {} with {}", roles, store, config);
        SnowpackApi api = null;
        SnowpackHttpServer bound = null;
        try {
            if (roles.contains(Role.API)) {
                // Bound first: a port in use fails the start before any lease is taken or job claimed.
                SnowpackApi.Builder apiBuilder = SnowpackApi.builder().store(store).service(service)
                        .tableSource(tableSource).config(config).settings(http).prometheus(registry);
                readinessDetails.forEach(apiBuilder::readinessDetail);
                api = apiBuilder.build();
                bound = SnowpackHttpServer.bind(api, http);
            }
            AtomicInteger threads = new AtomicInteger();
            scheduler = Executors.newScheduledThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "snowpack-scheduler-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            running.push(() -> {
                scheduler.shutdownNow();
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            });
            if (roles.contains(Role.SCHEDULER)) {
                startScheduler();
            }
            if (roles.contains(Role.WORKER)) {
                Worker worker = Worker.builder().store(store).executor(executor).config(config).slots(workerSlots)
                        .meterRegistry(registry).build();
                worker.start();
                running.push(worker);
            }
            if (bound != null) {
                running.push(api);
                running.push(bound);
                server = bound.serve();
            }
            return this;
        } catch (RuntimeException e) {
            if (bound != null && !running.contains(bound)) {
                bound.close();
            }
            if (api != null && !running.contains(api)) {
                api.close();
            }
            close();
            throw e;
        }
    }

    private void startScheduler() {
        leader = LeaderElection.builder().elector(store.leaders()).ttl(config.leaderLeaseTtl())
                .meterRegistry(registry).build();
        leader.start();
        running.push(leader);
        Sweeper sweeper = Sweeper.builder().store(store).config(config).leader(leader).meterRegistry(registry)
                .build();
        sweeper.start(scheduler);
        running.push(sweeper);
        if (tableSource != null) {
            healthSync = HealthSync.builder().store(store).source(tableSource).config(config)
                    .meterRegistry(registry).build();
            healthSync.start(scheduler);
            running.push(healthSync);
        } else {
            LOG.warn("No table source: health sync is off, the table cache is filled only by the host");
        }
        orchestrator = Orchestrator.builder().store(store).config(config).leader(leader)
                .meterRegistry(registry).build();
        orchestrator.start(scheduler);
        running.push(orchestrator);
    }

    /** The service behind the API, for submitting, listing and planning from code. */
    public MaintenanceService service() {
        return service;
    }

    /** The registry every part records into ({@code /metrics} serves it). */
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** The port the API listens on, when this runtime has the API role and is started. */
    public Optional<Integer> apiPort() {
        return Optional.ofNullable(server).map(SnowpackHttpServer::port);
    }

    /** The health sync, when this runtime has the scheduler role and a table source. */
    public Optional<HealthSync> healthSync() {
        return Optional.ofNullable(healthSync);
    }

    /** The orchestrator, when this runtime has the scheduler role. */
    public Optional<Orchestrator> orchestrator() {
        return Optional.ofNullable(orchestrator);
    }

    /** The leader election, when this runtime has the scheduler role. */
    public Optional<LeaderElection> leader() {
        return Optional.ofNullable(leader);
    }

    /** Blocks until {@link #close()} is called from another thread (a shutdown hook, for example). */
    public synchronized void awaitShutdown() throws InterruptedException {
        while (!closed) {
            wait();
        }
    }

    /** Stops every part in reverse start order; each failure is logged and the rest still stop. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!running.isEmpty()) {
            AutoCloseable part = running.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed", part, e);
            }
        }
        LOG.info("Snowpack stopped");
        notifyAll();
    }

    /** Builds a {@link SnowpackRuntime}. Not thread-safe. */
    public static final class Builder {
        private SnowpackStore store;
        private MaintenanceExecutor executor;
        private TableSource tableSource;
        private SnowpackConfig config = SnowpackConfig.defaults();
        private HttpSettings http = HttpSettings.defaults();
        private Set<Role> roles = EnumSet.noneOf(Role.class);
        private int workerSlots = 1;
        private PrometheusMeterRegistry registry;
        private final Map<String, Supplier<String>> readinessDetails = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Reports {@code detail} under {@code name} in the API's {@code /readyz} checks without making it unready
         * (see {@link SnowpackApi.Builder#readinessDetail}).
         */
        public Builder readinessDetail(String name, Supplier<String> detail) {
            readinessDetails.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(detail, "detail"));
            return this;
        }

        /** The backend. Required. */
        public Builder store(SnowpackStore value) { store = Objects.requireNonNull(value, "store"); return this; }
        /** Runs maintenance actions and dry runs; required for the worker role. */
        public Builder executor(MaintenanceExecutor value) { executor = value; return this; }
        /** Where health sync and live health read tables; without one, health sync is off. */
        public Builder tableSource(TableSource value) { tableSource = value; return this; }
        public Builder config(SnowpackConfig value) { config = Objects.requireNonNull(value, "config"); return this; }
        /** Where the API listens; default 127.0.0.1:8080. */
        public Builder http(HttpSettings value) { http = Objects.requireNonNull(value, "http"); return this; }

        /** The roles to run; default: all of them. */
        public Builder roles(Role... value) {
            roles = EnumSet.noneOf(Role.class);
            roles.addAll(Arrays.asList(value));
            return this;
        }

        /** Jobs a worker runs at once; at least 1, default 1. */
        public Builder workerSlots(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("workerSlots must be >= 1, got " + value);
            }
            workerSlots = value;
            return this;
        }

        /** The registry to record into; default: a new Prometheus registry. */
        public Builder meterRegistry(PrometheusMeterRegistry value) {
            registry = Objects.requireNonNull(value, "registry");
            return this;
        }

        public SnowpackRuntime build() {
            return new SnowpackRuntime(this);
        }
    }
}
