package io.snowpack.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.iceberg.ExecutorProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a packaged worker gets its Spark executor: {@code snowpack-spark} on the class path provides {@code spark}
 * through {@link java.util.ServiceLoader}, set up from {@code SNOWPACK_SPARK_*}; every such variable reaches
 * Spark as a {@code spark.*} setting; a Kubernetes master without Spark's Kubernetes support is refused at start,
 * naming the artifact to add.
 */
class SparkExecutorProviderTest {
    @Test
    void theProviderOnTheClassPathBuildsAWorkingSparkExecutorFromTheEnvironment() {
        SparkTables tables = new SparkTables(SharedSpark.freshDatabase("provided"), "facts");
        tables.create(SparkTables.BY_CATEGORY, Map.of("snowpack.min_input_files", "2"));
        tables.append(0, 600, 2);
        tables.append(600, 1_200, 2);
        List<String> rows = tables.rows();
        SharedSpark.session(); // the provider's getOrCreate joins the session this JVM already runs

        MaintenanceExecutor executor = ExecutorProvider.find("spark").orElseThrow()
                .create(tables.catalog, SnowpackConfig.defaults(),
                        Map.of("SNOWPACK_SPARK_MASTER", "local[2]",
                                SparkExecutorProvider.CHECKPOINT_INTERVAL_VARIABLE, "2"));
        ActionResult result = executor.execute(new ActionRequest(JobId.random(), tables.id,
                MaintenanceAction.REWRITE_DATA_FILES, 1, 1), Checkpoint.none());

        assertThat(result.metrics().get("spark_jobs")).isPositive();
        assertThat(tables.dataFiles()).hasSize(3);
        assertThat(tables.rows()).isEqualTo(rows);
    }

    @Test
    void everySnowpackSparkVariableBecomesASparkSetting() {
        Map<String, String> settings = SparkSessions.settings(Map.of(
                "SNOWPACK_SPARK_MASTER", "k8s://https://kubernetes.default.svc",
                "SNOWPACK_SPARK_EXECUTOR_INSTANCES", "4",
                "SNOWPACK_SPARK_KUBERNETES_CONTAINER_IMAGE", "apache/spark:4.1.3",
                "SNOWPACK_SPARK_CONF_SA", "spark.kubernetes.authenticate.driver.serviceAccountName=snowpack",
                SparkExecutorProvider.CHECKPOINT_INTERVAL_VARIABLE, "5",
                "SNOWPACK_API_TOKEN", "not for Spark"));

        assertThat(settings)
                .containsEntry("spark.master", "k8s://https://kubernetes.default.svc")
                .containsEntry("spark.executor.instances", "4")
                .containsEntry("spark.kubernetes.container.image", "apache/spark:4.1.3")
                .containsEntry("spark.kubernetes.authenticate.driver.serviceAccountName", "snowpack")
                .containsEntry("spark.app.name", "snowpack-maintenance")
                .hasSize(5);
        assertThat(SparkSessions.settings(Map.of())).containsEntry("spark.master", "local[*]");
        assertThatThrownBy(() -> SparkSessions.settings(Map.of("SNOWPACK_SPARK_CONF_X", "memory=1g")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SNOWPACK_SPARK_CONF_X").hasMessageContaining("memory=1g");
    }

    @Test
    void aKubernetesMasterWithoutSparksKubernetesSupportIsRefusedNamingTheArtifact() {
        assertThatThrownBy(() -> SparkSessions.fromEnvironment(Map.of("SNOWPACK_SPARK_MASTER",
                "k8s://https://kubernetes.default.svc")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("org.apache.spark:spark-kubernetes_2.13:4.1.3");
    }
}
