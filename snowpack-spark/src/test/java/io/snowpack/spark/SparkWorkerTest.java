package io.snowpack.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.health.HealthSync;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.policy.ExecutorKind;
import io.snowpack.core.policy.ExecutorRouting;
import io.snowpack.core.policy.MaintenancePlan;
import io.snowpack.core.routing.RoutingExecutor;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.worker.JobOutcome;
import io.snowpack.core.worker.Worker;
import io.snowpack.iceberg.IcebergMaintenanceExecutor;
import io.snowpack.iceberg.IcebergTableSource;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.iceberg.Snapshot;
import org.apache.spark.JobExecutionStatus;
import org.apache.spark.SparkJobInfo;
import org.junit.jupiter.api.Test;

/**
 * Jobs submitted through the service and run by the real {@link Worker} on a {@link RoutingExecutor} that holds
 * both executors in this JVM (the plain one on the Iceberg classes of the Spark runtime): a table that asks for
 * Spark is compacted by Spark and one under the size threshold in plain Java, the plan says which and why, and
 * Spark's commits carry the job's id, attempt and fence. A job cancelled, or a worker stopped, while its Spark
 * jobs run ends those Spark jobs and commits nothing; the stopped job is handed back to the queue.
 */
class SparkWorkerTest {
    private static final SnowpackConfig CONFIG = SnowpackConfig.builder()
            .executorSparkEnabled(true)
            .build();

    private record Deployment(SnowpackStore store, MaintenanceService service, Worker worker) {
    }

    private static Deployment deploy(SparkTables tables) {
        SnowpackStore store = InMemoryStore.create();
        HealthSync.builder().store(store).source(IcebergTableSource.create(tables.catalog, CONFIG)).config(CONFIG)
                .build().runOnce();
        MaintenanceExecutor spark = SparkMaintenanceExecutor.builder(tables.catalog, tables.spark).config(CONFIG)
                .checkpointInterval(Duration.ofMillis(200)).build();
        MaintenanceExecutor routing = RoutingExecutor.builder()
                .local(IcebergMaintenanceExecutor.create(tables.catalog, CONFIG))
                .spark(spark)
                .routing(ExecutorRouting.of(CONFIG))
                .tables(store.tables())
                .build();
        MaintenanceService service = MaintenanceService.builder().store(store).config(CONFIG).build();
        Worker worker = Worker.builder().store(store).executor(routing).config(CONFIG).build();
        return new Deployment(store, service, worker);
    }

    private static List<Snapshot> commitsOf(SparkTables tables, Job job) {
        return StreamSupport.stream(tables.load().snapshots().spliterator(), false)
                .filter(s -> job.jobId().value().equals(s.summary().get("snowpack.job-id"))).toList();
    }

    @Test
    void eachTableRunsOnTheExecutorItsPlanNames() {
        String database = SharedSpark.freshDatabase("routed");
        SparkTables big = new SparkTables(database, "big");
        big.create(SparkTables.BY_CATEGORY, Map.of("snowpack.executor", "spark", "snowpack.min_input_files", "2"));
        SparkTables small = new SparkTables(database, "small");
        small.create(SparkTables.BY_CATEGORY, Map.of("snowpack.min_input_files", "2"));
        for (SparkTables tables : List.of(big, small)) {
            tables.append(0, 900, 3);
            tables.append(900, 1_800, 3);
        }
        List<String> bigRows = big.rows();
        List<String> smallRows = small.rows();
        Deployment deployment = deploy(big);

        MaintenancePlan bigPlan = deployment.service().plan(big.id);
        MaintenancePlan smallPlan = deployment.service().plan(small.id);
        assertThat(bigPlan.executor().executor()).isEqualTo(ExecutorKind.SPARK);
        assertThat(bigPlan.executor().reason()).contains("snowpack.executor=spark");
        assertThat(smallPlan.executor().executor()).isEqualTo(ExecutorKind.LOCAL);
        assertThat(smallPlan.executor().reason()).contains("executor.spark_threshold_bytes");

        Job bigJob = deployment.service().submit(big.id, List.of(MaintenanceAction.REWRITE_DATA_FILES), false);
        Job smallJob = deployment.service().submit(small.id, List.of(MaintenanceAction.REWRITE_DATA_FILES), false);
        assertThat(deployment.worker().runOnce()).isEqualTo(JobOutcome.COMPLETED);
        assertThat(deployment.worker().runOnce()).isEqualTo(JobOutcome.COMPLETED);

        Job bigDone = deployment.service().get(bigJob.jobId());
        Job smallDone = deployment.service().get(smallJob.jobId());
        assertThat(bigDone.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(smallDone.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(bigDone.results()).singleElement().satisfies(r -> assertThat(r.metrics()).containsKey("spark_jobs"));
        assertThat(smallDone.results()).singleElement()
                .satisfies(r -> assertThat(r.metrics()).doesNotContainKey("spark_jobs"));
        assertThat(commitsOf(big, bigJob)).isNotEmpty().allSatisfy(snapshot -> assertThat(snapshot.summary())
                .containsEntry("snowpack.attempt", "1")
                .containsEntry("snowpack.action", "rewrite_data_files")
                .containsKey("snowpack.fence"));
        assertThat(commitsOf(small, smallJob)).isNotEmpty();
        assertThat(big.rows()).isEqualTo(bigRows);
        assertThat(small.rows()).isEqualTo(smallRows);
    }

    @Test
    void aJobCancelledWhileSparkRunsEndsItsSparkJobsAndCommitsNothing() throws Exception {
        SparkTables tables = largeSparkTable("cancelled");
        List<String> rows = tables.rows();
        String metadata = tables.metadataLocation();
        Deployment deployment = deploy(tables);
        Job job = deployment.service().submit(tables.id, List.of(MaintenanceAction.REWRITE_DATA_FILES), false);

        CompletableFuture<JobOutcome> outcome = CompletableFuture.supplyAsync(deployment.worker()::runOnce);
        String tag = awaitSparkJobsOf(tables, job);
        deployment.service().cancel(job.jobId());

        assertThat(outcome.get(120, TimeUnit.SECONDS)).isEqualTo(JobOutcome.REVOKED);
        assertThat(deployment.service().get(job.jobId()).status()).isEqualTo(JobStatus.CANCELLED);
        awaitNoRunningJob(tables, tag);
        assertThat(tables.metadataLocation()).as("nothing committed").isEqualTo(metadata);
        assertThat(tables.rows()).isEqualTo(rows);
    }

    @Test
    void aWorkerStoppedWhileSparkRunsHandsTheJobBackAndCommitsNothing() throws Exception {
        SparkTables tables = largeSparkTable("stopped");
        String metadata = tables.metadataLocation();
        Deployment deployment = deploy(tables);
        Job job = deployment.service().submit(tables.id, List.of(MaintenanceAction.REWRITE_DATA_FILES), false);

        CompletableFuture<JobOutcome> outcome = CompletableFuture.supplyAsync(deployment.worker()::runOnce);
        String tag = awaitSparkJobsOf(tables, job);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(deployment.worker()::close);

        assertThat(outcome.get(120, TimeUnit.SECONDS)).isEqualTo(JobOutcome.HANDED_BACK);
        closing.get(120, TimeUnit.SECONDS);
        assertThat(deployment.service().get(job.jobId()).status()).isEqualTo(JobStatus.PENDING);
        awaitNoRunningJob(tables, tag);
        assertThat(tables.metadataLocation()).as("nothing committed").isEqualTo(metadata);
    }

    /** A table routed to Spark whose compaction takes long enough to be interrupted (many small files). */
    private static SparkTables largeSparkTable(String name) {
        SparkTables tables = new SparkTables(SharedSpark.freshDatabase(name), "facts");
        tables.create(SparkTables.BY_CATEGORY, Map.of("snowpack.executor", "spark", "snowpack.min_input_files", "2",
                "snowpack.partial_progress_max_commits", "1"));
        for (int i = 0; i < 3; i++) {
            tables.append(i * 200_000L, (i + 1) * 200_000L, 8);
        }
        return tables;
    }

    /** Waits until Spark runs a job tagged for {@code job}'s first attempt; returns the tag. */
    private static String awaitSparkJobsOf(SparkTables tables, Job job) throws InterruptedException {
        String tag = "snowpack-" + job.jobId().value() + "-1";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Arrays.stream(tables.spark.sparkContext().statusTracker().getJobIdsForTag(tag))
                    .anyMatch(id -> status(tables, id) == JobExecutionStatus.RUNNING)) {
                return tag;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no Spark job of " + tag + " ever ran");
    }

    private static void awaitNoRunningJob(SparkTables tables, String tag) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int[] ids = tables.spark.sparkContext().statusTracker().getJobIdsForTag(tag);
        while (System.nanoTime() < deadline) {
            ids = tables.spark.sparkContext().statusTracker().getJobIdsForTag(tag);
            if (Arrays.stream(ids).noneMatch(id -> status(tables, id) == JobExecutionStatus.RUNNING)) {
                assertThat(Arrays.stream(ids).mapToObj(id -> status(tables, id)))
                        .as("the job's Spark jobs ended by the cancel").contains(JobExecutionStatus.FAILED);
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Spark jobs of " + tag + " still run: " + Arrays.toString(ids));
    }

    private static JobExecutionStatus status(SparkTables tables, int id) {
        scala.Option<SparkJobInfo> info = tables.spark.sparkContext().statusTracker().getJobInfo(id);
        return info.isDefined() ? info.get().status() : JobExecutionStatus.UNKNOWN;
    }
}
