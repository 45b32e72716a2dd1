package io.snowpack.core.routing;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.policy.ExecutorKind;
import io.snowpack.core.policy.ExecutorRoute;
import io.snowpack.core.policy.ExecutorRouting;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.TableCache;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MaintenanceExecutor} that hands every action to the local or the Spark executor, as
 * {@link ExecutorRouting} decides from the table's health in the {@link TableCache}: the same input, and so the same
 * decision, as the maintenance plan's {@code executor}. A table that is not in the cache runs locally. Each
 * {@link #execute} and {@link #preview} logs at INFO which executor runs it and why.
 *
 * <p>The route is looked up again for every action, so a table that grows past
 * {@code executor.spark_threshold_bytes} (or whose {@code snowpack.executor} changes) moves at its next health sync.
 * That is why {@link #committedBy} asks the routed executor first and then the other: an earlier attempt of the same
 * job may have run on the other one.
 *
 * <p>Thread-safe when both executors and the cache are. A failure of the cache while looking up the route propagates
 * from {@code execute}, {@code preview} and {@code committedBy} unchanged.
 */
public final class RoutingExecutor implements MaintenanceExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingExecutor.class);

    private final MaintenanceExecutor local;
    private final MaintenanceExecutor spark;
    private final ExecutorRouting routing;
    private final TableCache tables;

    private RoutingExecutor(Builder b) {
        this.local = b.local;
        this.spark = b.spark;
        this.routing = b.routing;
        this.tables = b.tables;
    }

    /** A builder; {@code local}, {@code routing} and {@code tables} are required, {@code spark} when it is enabled. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ActionResult execute(ActionRequest request, Checkpoint checkpoint) {
        ExecutorRoute route = route(request.table());
        LOG.info("{} {} of job {} (attempt {}) runs on the {} executor: {}", request.table().key(),
                request.action().wireName(), request.jobId().value(), request.attempt(), route.executor().wireName(),
                route.reason());
        return executor(route.executor()).execute(request, checkpoint);
    }

    @Override
    public ActionResult preview(TableId table, MaintenanceAction action) {
        ExecutorRoute route = route(table);
        LOG.info("{} {} preview runs on the {} executor: {}", table.key(), action.wireName(),
                route.executor().wireName(), route.reason());
        return executor(route.executor()).preview(table, action);
    }

    /** The routed executor's answer; when it has none, the other executor's (when there is one). */
    @Override
    public Optional<ActionResult> committedBy(ActionRequest request) {
        ExecutorKind routed = route(request.table()).executor();
        Optional<ActionResult> committed = executor(routed).committedBy(request);
        if (committed.isPresent() || spark == null) {
            return committed;
        }
        return executor(routed == ExecutorKind.LOCAL ? ExecutorKind.SPARK : ExecutorKind.LOCAL).committedBy(request);
    }

    /** The route of {@code table} now, from its cached health; local, saying so, when it is not cached. */
    public ExecutorRoute route(TableId table) {
        return tables.get(table).map(routing::route).orElseGet(() -> new ExecutorRoute(ExecutorKind.LOCAL,
                "executor: local (" + table.key() + " is not in the table cache, so its size and "
                        + "snowpack.executor are unknown)"));
    }

    private MaintenanceExecutor executor(ExecutorKind kind) {
        if (kind == ExecutorKind.LOCAL) {
            return local;
        }
        return spark; // never null here: build() refuses a Spark-enabled routing without it
    }

    @Override
    public String toString() {
        return "RoutingExecutor{local=" + local + ", spark=" + spark + ", " + routing + "}";
    }

    /** Builds a {@link RoutingExecutor}; {@link #build()} checks that every executor the routing may pick is set. */
    public static final class Builder {
        private MaintenanceExecutor local;
        private MaintenanceExecutor spark;
        private ExecutorRouting routing;
        private TableCache tables;

        private Builder() {
        }

        /** The plain-Java executor; required. */
        public Builder local(MaintenanceExecutor value) {
            local = Objects.requireNonNull(value, "local");
            return this;
        }

        /** The Spark executor; required when the routing has {@code executor.spark_enabled=true}, else unused. */
        public Builder spark(MaintenanceExecutor value) {
            spark = Objects.requireNonNull(value, "spark");
            return this;
        }

        /** The decision, usually {@code ExecutorRouting.of(config)} with the plan's configuration; required. */
        public Builder routing(ExecutorRouting value) {
            routing = Objects.requireNonNull(value, "routing");
            return this;
        }

        /** Where the tables' health is read from (the store's table cache); required. */
        public Builder tables(TableCache value) {
            tables = Objects.requireNonNull(value, "tables");
            return this;
        }

        /**
         * The routing executor.
         *
         * @throws IllegalStateException when {@code local}, {@code routing} or {@code tables} is missing, or the
         *         routing may pick Spark ({@code executor.spark_enabled=true}) and no Spark executor was given
         */
        public RoutingExecutor build() {
            require(local != null, "a local executor: call local(...) before build()");
            require(routing != null, "the routing: call routing(ExecutorRouting.of(config)) before build()");
            require(tables != null, "the table cache: call tables(store.tables()) before build()");
            require(spark != null || !routing.sparkEnabled(), "a Spark executor, since executor.spark_enabled=true "
                    + "routes tables to Spark: call spark(...) before build(), or set executor.spark_enabled=false");
            return new RoutingExecutor(this);
        }

        private static void require(boolean present, String what) {
            if (!present) {
                throw new IllegalStateException("The routing executor needs " + what);
            }
        }
    }
}
