package io.snowpack.core.routing;

import static io.snowpack.core.model.MaintenanceAction.EXPIRE_SNAPSHOTS;
import static io.snowpack.core.model.MaintenanceAction.REWRITE_DATA_FILES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.policy.ExecutorKind;
import io.snowpack.core.policy.ExecutorRouting;
import io.snowpack.core.policy.MaintenancePolicy;
import io.snowpack.core.policy.TableProperties;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link RoutingExecutor} over the in-memory table cache, with two executors that record what they were asked. */
class RoutingExecutorTest {
    private static final TableId SMALL = TableId.of("sales", "small");
    private static final TableId LARGE = TableId.of("sales", "large");
    private static final TableId PINNED = TableId.of("sales", "pinned");
    private static final TableId UNCACHED = TableId.of("sales", "uncached");
    private static final long GIB = 1L << 30;
    private static final SnowpackConfig SPARK_ENABLED = SnowpackConfig.builder()
            .executorSparkEnabled(true).executorSparkThresholdBytes(10 * GIB).build();

    private final SnowpackStore store = InMemoryStore.create();
    private final Recording local = new Recording("local");
    private final Recording spark = new Recording("spark");

    private void cache(TableId table, long totalBytes, Map<String, String> properties) {
        store.tables().upsert(TableHealth.builder(table).totalBytes(totalBytes).properties(properties)
                .syncedAt(store.now()).build());
    }

    private RoutingExecutor routing(SnowpackConfig config) {
        cache(SMALL, GIB, Map.of());
        cache(LARGE, 10 * GIB, Map.of());
        cache(PINNED, 50 * GIB, Map.of(TableProperties.EXECUTOR, "local"));
        return RoutingExecutor.builder().local(local).spark(spark).routing(ExecutorRouting.of(config))
                .tables(store.tables()).build();
    }

    private static ActionRequest request(TableId table, MaintenanceAction action, int attempt) {
        return new ActionRequest(JobId.random(), table, action, attempt, 1);
    }

    @Test
    void tablesAtOrAboveTheThresholdRunOnSparkTheOthersLocally() {
        RoutingExecutor executor = routing(SPARK_ENABLED);

        ActionResult large = executor.execute(request(LARGE, REWRITE_DATA_FILES, 1), Checkpoint.none());
        ActionResult small = executor.execute(request(SMALL, REWRITE_DATA_FILES, 1), Checkpoint.none());

        assertThat(large.message()).isEqualTo("spark ran rewrite_data_files on sales.large");
        assertThat(small.message()).isEqualTo("local ran rewrite_data_files on sales.small");
        assertThat(spark.calls).containsExactly("execute sales.large rewrite_data_files");
        assertThat(local.calls).containsExactly("execute sales.small rewrite_data_files");
    }

    @Test
    void theTablePropertyWinsOverTheSize() {
        RoutingExecutor executor = routing(SPARK_ENABLED);
        cache(SMALL, 1, Map.of(TableProperties.EXECUTOR, "SPARK"));

        executor.execute(request(PINNED, EXPIRE_SNAPSHOTS, 1), Checkpoint.none());
        executor.execute(request(SMALL, EXPIRE_SNAPSHOTS, 1), Checkpoint.none());

        assertThat(local.calls).containsExactly("execute sales.pinned expire_snapshots");
        assertThat(spark.calls).containsExactly("execute sales.small expire_snapshots");
        assertThat(executor.route(PINNED).reason()).isEqualTo("executor: local (snowpack.executor=local)");
    }

    @Test
    void previewsAreRoutedLikeExecutions() {
        RoutingExecutor executor = routing(SPARK_ENABLED);

        assertThat(executor.preview(LARGE, EXPIRE_SNAPSHOTS).message())
                .isEqualTo("spark previewed expire_snapshots on sales.large");
        assertThat(executor.preview(SMALL, EXPIRE_SNAPSHOTS).message())
                .isEqualTo("local previewed expire_snapshots on sales.small");
    }

    @Test
    void aTableNotInTheCacheRunsLocallyAndTheRouteSaysWhy() {
        RoutingExecutor executor = routing(SPARK_ENABLED);

        executor.execute(request(UNCACHED, EXPIRE_SNAPSHOTS, 1), Checkpoint.none());

        assertThat(local.calls).containsExactly("execute sales.uncached expire_snapshots");
        assertThat(spark.calls).isEmpty();
        assertThat(executor.route(UNCACHED).executor()).isEqualTo(ExecutorKind.LOCAL);
        assertThat(executor.route(UNCACHED).reason()).isEqualTo("executor: local (sales.uncached is not in the "
                + "table cache, so its size and snowpack.executor are unknown)");
    }

    @Test
    void withSparkDisabledEveryTableRunsLocally() {
        RoutingExecutor executor = routing(SnowpackConfig.defaults());
        cache(SMALL, 1, Map.of(TableProperties.EXECUTOR, "spark"));

        executor.execute(request(LARGE, REWRITE_DATA_FILES, 1), Checkpoint.none());
        executor.execute(request(SMALL, REWRITE_DATA_FILES, 1), Checkpoint.none());

        assertThat(local.calls).hasSize(2);
        assertThat(spark.calls).isEmpty();
    }

    @Test
    void theRouteIsTheOneThePlanShows() {
        RoutingExecutor executor = routing(SPARK_ENABLED.toBuilder()
                .orchestratorIncludeDatabases(List.of("sales")).build());
        MaintenancePolicy policy = MaintenancePolicy.standard(SPARK_ENABLED);

        for (TableId table : List.of(SMALL, LARGE, PINNED)) {
            TableHealth health = store.tables().get(table).orElseThrow();
            assertThat(executor.route(table)).isEqualTo(policy.plan(health, Optional.empty(), store.now()).executor());
        }
    }

    @Test
    void aTableThatMovedIsFollowedAtItsNextAction() {
        RoutingExecutor executor = routing(SPARK_ENABLED);
        executor.execute(request(SMALL, REWRITE_DATA_FILES, 1), Checkpoint.none());

        cache(SMALL, 20 * GIB, Map.of());
        executor.execute(request(SMALL, REWRITE_DATA_FILES, 2), Checkpoint.none());

        assertThat(local.calls).containsExactly("execute sales.small rewrite_data_files");
        assertThat(spark.calls).containsExactly("execute sales.small rewrite_data_files");
    }

    @Test
    void committedByAsksTheRoutedExecutorFirstThenTheOther() {
        RoutingExecutor executor = routing(SPARK_ENABLED);
        ActionRequest earlierOnLocal = request(LARGE, REWRITE_DATA_FILES, 2);
        ActionRequest onSpark = request(LARGE, EXPIRE_SNAPSHOTS, 1);
        local.committed.add(earlierOnLocal);
        spark.committed.add(onSpark);

        assertThat(executor.committedBy(onSpark)).map(ActionResult::message)
                .contains("spark committed expire_snapshots on sales.large");
        assertThat(local.calls).as("the routed executor answered").isEmpty();
        assertThat(executor.committedBy(earlierOnLocal)).map(ActionResult::message)
                .contains("local committed rewrite_data_files on sales.large");
        assertThat(spark.calls).containsExactly("committedBy sales.large expire_snapshots",
                "committedBy sales.large rewrite_data_files");
        assertThat(executor.committedBy(request(LARGE, REWRITE_DATA_FILES, 3))).isEmpty();
    }

    @Test
    void withoutASparkExecutorCommittedByAsksOnlyTheLocalOne() {
        cache(SMALL, GIB, Map.of());
        RoutingExecutor executor = RoutingExecutor.builder().local(local)
                .routing(ExecutorRouting.of(SnowpackConfig.defaults())).tables(store.tables()).build();
        ActionRequest request = request(SMALL, REWRITE_DATA_FILES, 1);
        local.committed.add(request);

        assertThat(executor.committedBy(request)).isPresent();
        assertThat(executor.committedBy(request(SMALL, EXPIRE_SNAPSHOTS, 1))).isEmpty();
        assertThat(local.calls).hasSize(2);
    }

    @Test
    void sparkEnabledWithoutASparkExecutorIsRefusedAtBuild() {
        RoutingExecutor.Builder builder = RoutingExecutor.builder().local(local)
                .routing(ExecutorRouting.of(SPARK_ENABLED)).tables(store.tables());

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessage("The routing executor needs a Spark executor, since executor.spark_enabled=true routes "
                        + "tables to Spark: call spark(...) before build(), or set executor.spark_enabled=false");
    }

    @Test
    void theLocalExecutorTheRoutingAndTheCacheAreRequired() {
        ExecutorRouting routing = ExecutorRouting.of(SnowpackConfig.defaults());

        assertThatThrownBy(() -> RoutingExecutor.builder().routing(routing).tables(store.tables()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("a local executor");
        assertThatThrownBy(() -> RoutingExecutor.builder().local(local).tables(store.tables()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("the routing");
        assertThatThrownBy(() -> RoutingExecutor.builder().local(local).routing(routing).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("the table cache");
    }

    /** Records every call; answers with a result naming itself, and {@code committedBy} for requests it holds. */
    private static final class Recording implements MaintenanceExecutor {
        final String name;
        final List<String> calls = new ArrayList<>();
        final List<ActionRequest> committed = new ArrayList<>();

        Recording(String name) {
            this.name = name;
        }

        @Override
        public ActionResult execute(ActionRequest request, Checkpoint checkpoint) {
            calls.add("execute " + request.table().key() + " " + request.action().wireName());
            return result(request.action(), "ran", request.table());
        }

        @Override
        public ActionResult preview(TableId table, MaintenanceAction action) {
            calls.add("preview " + table.key() + " " + action.wireName());
            return result(action, "previewed", table);
        }

        @Override
        public Optional<ActionResult> committedBy(ActionRequest request) {
            calls.add("committedBy " + request.table().key() + " " + request.action().wireName());
            return committed.contains(request)
                    ? Optional.of(result(request.action(), "committed", request.table()))
                    : Optional.empty();
        }

        private ActionResult result(MaintenanceAction action, String verb, TableId table) {
            return ActionResult.succeeded(action, name + " " + verb + " " + action.wireName() + " on " + table.key(),
                    0, Map.of());
        }
    }
}
