package io.snowpack.core.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.health.HealthSync;
import io.snowpack.core.health.HealthSyncLag;
import io.snowpack.core.leader.LeaderElection;
import io.snowpack.core.orchestrator.Orchestrator;
import io.snowpack.core.schedule.Threads;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import io.snowpack.core.sweeper.Sweeper;
import io.snowpack.core.worker.Worker;
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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the parts of Snowpack chosen by {@link Role} over one backend, sharing one configuration, one scheduler
 * thread pool and one {@link MeterRegistry} (the host's own, or a simple in-memory one). {@link #start()} starts them
 * (the orchestrator and sweeper only while this process holds the {@code scheduler} lease, health sync only while it
 * holds the {@code health_sync} lease, so that one replica at a time measures the tables); {@link #close()} stops them in reverse order: the API stops answering, workers
 * hand running jobs back, the leader lease is released. The store itself is the caller's to close.
 *
 * <pre>{@code
 * try (SnowpackRuntime runtime = SnowpackRuntime.builder().store(store).executor(executor).tableSource(source)
 *         .config(config).roles(Role.SCHEDULER, Role.WORKER).build().start()) {
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
    private final ApiTransport api;
    private final Set<Role> roles;
    private final int workerSlots;
    private final int workerPrefetch;
    private final MeterRegistry registry;
    private final MaintenanceService service;
    private final Map<String, Supplier<String>> readinessDetails;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private ScheduledExecutorService scheduler;
    private LeaderElection leader;
    private HealthSync healthSync;
    private Orchestrator orchestrator;
    private ApiTransport.Binding apiBinding;
    private boolean started;
    private boolean closed;

    private SnowpackRuntime(Builder b) {
        store = Objects.requireNonNull(b.store, "store");
        config = b.config;
        roles = b.roles != null ? EnumSet.copyOf(b.roles) : defaultRoles(b);
        executor = b.executor;
        tableSource = b.tableSource;
        api = b.api;
        workerSlots = b.workerSlots;
        workerPrefetch = b.workerPrefetch;
        readinessDetails = new LinkedHashMap<>(b.readinessDetails);
        registry = b.registry != null ? b.registry : new SimpleMeterRegistry();
        if (roles.contains(Role.WORKER) && executor == null) {
            throw new IllegalStateException("The WORKER role needs an executor: call executor(...) before build()");
        }
        if (roles.contains(Role.API) && api == null) {
            throw new IllegalStateException("The API role needs a transport: add snowpack-http and call "
                    + "api(SnowpackHttp.server(settings)), or mount SnowpackApi on the host's own web server");
        }
        service = MaintenanceService.builder().store(store).config(config).meterRegistry(registry)
                .tableSource(tableSource).executor(executor).build();
    }

    private static Set<Role> defaultRoles(Builder b) {
        EnumSet<Role> roles = EnumSet.of(Role.SCHEDULER);
        if (b.executor != null) {
            roles.add(Role.WORKER);
        }
        if (b.api != null) {
            roles.add(Role.API);
        }
        return roles;
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
        if (store instanceof MeterBinder binder) {
            binder.bindTo(registry);                    // a backend's own meters (the JDBC table-cache layer's)
        }
        // In every process, not only workers': with the workers scaled to zero (KEDA) the API's is the only one.
        // A worker in this process registers the same gauge, which Micrometer keeps once.
        Gauge.builder("snowpack.queue.ready_depth", store, s -> s.queue().readyDepth())
                .description("Jobs claimable now").register(registry);
        // Every process reports the same lag, read from the shared cache status: not only the health-sync leader.
        HealthSyncLag.register(registry, store);
        ApiTransport.Binding bound = null;
        try {
            if (roles.contains(Role.API)) {
                // Bound first: an address in use fails the start before any lease is taken or job claimed.
                bound = api.bind(new ApiTransport.Context(store, service, tableSource, config, registry,
                        readinessDetails));
            }
            scheduler = Executors.newScheduledThreadPool(2, Threads.daemon("snowpack-scheduler"));
            running.push(() -> {
                scheduler.shutdownNow();
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            });
            if (roles.contains(Role.SCHEDULER)) {
                startScheduler();
            }
            if (roles.contains(Role.WORKER)) {
                Worker.Builder workerBuilder = Worker.builder().store(store).executor(executor).config(config)
                        .slots(workerSlots).prefetch(workerPrefetch).meterRegistry(registry);
                if (tableSource != null) {
                    workerBuilder.tableSource(tableSource); // the table's health is refreshed after each job
                }
                Worker worker = workerBuilder.build();
                worker.start();
                running.push(worker);
            }
            if (bound != null) {
                running.push(bound);
                bound.serve();
                apiBinding = bound;
            }
            return this;
        } catch (RuntimeException e) {
            if (bound != null && !running.contains(bound)) {
                bound.close();
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
        if (tableSource != null && !config.healthSyncInterval().isZero()) {
            // A lead of its own: health sync may run on another replica than the orchestrator and the sweeper.
            LeaderElection syncLeader = LeaderElection.builder().elector(store.leaders())
                    .lockKey(HealthSync.LOCK_KEY).holderId(leader.holderId()).ttl(config.leaderLeaseTtl())
                    .meterRegistry(registry).build();
            syncLeader.start();
            running.push(syncLeader);
            healthSync = HealthSync.builder().store(store).source(tableSource).config(config).leader(syncLeader)
                    .meterRegistry(registry).build();
            healthSync.start(scheduler);
            running.push(healthSync);
        } else if (tableSource != null) {
            // Disabled: no loop and no lead; the host may still run a pass itself through healthSync().
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

    /** The registry every part records into. */
    public MeterRegistry meterRegistry() {
        return registry;
    }

    /** The port the API listens on, when this runtime has the API role, is started and its transport owns a port. */
    public Optional<Integer> apiPort() {
        return Optional.ofNullable(apiBinding).flatMap(ApiTransport.Binding::port);
    }

    /**
     * The health sync, when this runtime has the scheduler role and a table source. While health sync is on, its
     * passes run only while this process holds the {@code health_sync} lead ({@code runOnce()} answers
     * {@code NOT_LEADER} elsewhere); with {@code health_sync.interval=0} nothing is scheduled and every call runs.
     */
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
        private ApiTransport api;
        private Set<Role> roles;
        private int workerSlots = 1;
        private int workerPrefetch;
        private MeterRegistry registry;
        private final Map<String, Supplier<String>> readinessDetails = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Reports {@code detail} under {@code name} in the API's {@code /readyz} checks without making it unready
         * (for a dependency the API can do without, such as the catalog; {@code detail} must answer from memory).
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
        /** Serves the REST API for the API role ({@code SnowpackHttp.server(settings)} in snowpack-http). */
        public Builder api(ApiTransport value) { api = Objects.requireNonNull(value, "api"); return this; }

        /**
         * The roles to run. Default: the scheduler, the worker when an executor is given, and the API when a transport
         * is given.
         */
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

        /**
         * Jobs the worker claims beyond its free slots ({@link Worker.Builder#prefetch}); default 0. For workers of
         * many short jobs: claims and settles then go in batches.
         */
        public Builder workerPrefetch(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("workerPrefetch must be >= 0, got " + value);
            }
            workerPrefetch = value;
            return this;
        }

        /**
         * The registry to record into: the host's own (Prometheus, Datadog, OTLP, a composite...). Default: a new
         * {@link SimpleMeterRegistry}, readable through {@link SnowpackRuntime#meterRegistry()}.
         */
        public Builder meterRegistry(MeterRegistry value) {
            registry = Objects.requireNonNull(value, "registry");
            return this;
        }

        public SnowpackRuntime build() {
            return new SnowpackRuntime(this);
        }
    }
}
