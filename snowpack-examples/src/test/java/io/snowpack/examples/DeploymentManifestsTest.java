package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.snowpack.core.config.SnowpackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parses every manifest under {@code deploy/} and checks it against what the apps and the runbook expect. */
class DeploymentManifestsTest {
    private static final Path DEPLOY = Path.of("deploy");
    private static final Pattern SNOWPACK_VARIABLE = Pattern.compile("SNOWPACK_[A-Z0-9_]+");
    private static final List<JsonNode> DOCUMENTS = new ArrayList<>();

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<Path> files;
        try (Stream<Path> listing = Files.list(DEPLOY)) {
            files = listing.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            ObjectReader reader = yaml.readerFor(JsonNode.class);
            try (var values = reader.<JsonNode>readValues(Files.readString(file))) {
                while (values.hasNext()) {
                    JsonNode document = values.next();
                    if (document != null && !document.isNull() && !document.isEmpty()) {
                        DOCUMENTS.add(document);
                    }
                }
            }
        }
    }

    private static JsonNode only(String kind, String name) {
        List<JsonNode> found = DOCUMENTS.stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.path("metadata").path("name").asText().equals(name)).toList();
        assertThat(found).as("%s %s", kind, name).hasSize(1);
        return found.get(0);
    }

    @Test
    void everyDocumentIsAKubernetesObjectInTheSnowpackNamespace() {
        assertThat(DOCUMENTS).isNotEmpty().allSatisfy(document -> {
            assertThat(document.path("apiVersion").asText()).isNotBlank();
            assertThat(document.path("kind").asText()).isNotBlank();
            assertThat(document.path("metadata").path("name").asText()).isNotBlank();
            assertThat(document.path("metadata").path("namespace").asText()).isEqualTo("snowpack");
        });
    }

    @Test
    void theApiListensOnEveryInterfaceAndProbesHealthzAndReadyz() {
        JsonNode container = only("Deployment", "snowpack-api").at("/spec/template/spec/containers/0");
        Map<String, String> env = env(container);

        assertThat(env).containsEntry("SNOWPACK_HTTP_HOST", "0.0.0.0");
        assertThat(container.at("/ports/0/containerPort").asText()).isEqualTo(env.get("SNOWPACK_HTTP_PORT"));
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
        JsonNode selector = only("Service", "snowpack-api").at("/spec/selector");
        JsonNode labels = only("Deployment", "snowpack-api").at("/spec/template/metadata/labels");
        selector.fields().forEachRemaining(e -> assertThat(labels.path(e.getKey()).asText())
                .isEqualTo(e.getValue().asText()));
    }

    @Test
    void theScaledJobScalesFromZeroOnTheRunbookQueueDepthQuery() {
        JsonNode job = only("ScaledJob", "snowpack-worker");
        JsonNode trigger = job.at("/spec/triggers/0");

        assertThat(trigger.path("type").asText()).isEqualTo("postgresql");
        assertThat(trigger.at("/metadata/query").asText())
                .isEqualTo("SELECT COUNT(*) FROM snowpack.job_queue WHERE claimed_at IS NULL AND visible_at <= NOW()");
        assertThat(trigger.at("/metadata/activationTargetQueryValue").asText()).isEqualTo("0");
        assertThat(trigger.at("/metadata/targetQueryValue").asText()).isEqualTo("1");
        assertThat(env(job.at("/spec/jobTargetRef/template/spec/containers/0")))
                .containsEntry("SNOWPACK_WORKER_MODE", "once");
        assertThat(job.at("/spec/jobTargetRef/backoffLimit").asInt()).isZero();

        JsonNode auth = only("TriggerAuthentication", trigger.at("/authenticationRef/name").asText());
        JsonNode secretRef = auth.at("/spec/secretTargetRef/0");
        assertThat(secretRef.path("parameter").asText()).isEqualTo("connection");
        JsonNode secret = only("Secret", secretRef.path("name").asText());
        assertThat(secret.at("/stringData").has(secretRef.path("key").asText())).isTrue();
    }

    @Test
    void theSharedSettingsAreValidForEveryApp() {
        Map<String, String> env = new HashMap<>();
        only("ConfigMap", "snowpack-config").path("data").fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        only("Secret", "snowpack").path("stringData").fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        env.putAll(env(only("Deployment", "snowpack-api").at("/spec/template/spec/containers/0")));

        AppEnvironment app = new AppEnvironment(env);

        assertThat(app.config().orchestratorIncludeDatabases()).isSubsetOf(app.config().healthSyncDatabases());
        assertThat(app.http().apiToken()).isPresent();
        assertThat(app.catalogProperties()).containsKeys("type", "uri", "warehouse");
        assertThat(app.schema()).isEqualTo("snowpack");
        assertThat(app.catalogWarnings()).as("the manifests use Iceberg's spelling").isEmpty();
    }

    /**
     * The README's connection arithmetic: the API replicas and KEDA's {@code maxReplicaCount} run-once workers, at
     * their role's pool size, stay within PostgreSQL's default {@code max_connections} (100) with room for KEDA's
     * scaler, {@code psql} and the superuser reserve (10).
     */
    @Test
    void theApiReplicasAndEveryKedaWorkerFitPostgresDefaultConnectionLimit() {
        Map<String, String> shared = new HashMap<>();
        only("ConfigMap", "snowpack-config").path("data").fields()
                .forEachRemaining(e -> shared.put(e.getKey(), e.getValue().asText()));
        only("Secret", "snowpack").path("stringData").fields()
                .forEachRemaining(e -> shared.put(e.getKey(), e.getValue().asText()));
        Map<String, String> api = new HashMap<>(shared);
        api.putAll(env(only("Deployment", "snowpack-api").at("/spec/template/spec/containers/0")));
        Map<String, String> worker = new HashMap<>(shared);
        JsonNode job = only("ScaledJob", "snowpack-worker");
        worker.putAll(env(job.at("/spec/jobTargetRef/template/spec/containers/0")));

        int apiReplicas = only("Deployment", "snowpack-api").at("/spec/replicas").asInt();
        int workers = job.at("/spec/maxReplicaCount").asInt();
        int apiPool = new AppEnvironment(api).poolSize(AppEnvironment.AppRole.API);
        int workerPool = new AppEnvironment(worker).poolSize(AppEnvironment.AppRole.WORKER);

        assertThat(apiPool).isEqualTo(13);
        assertThat(workerPool).isEqualTo(4);
        assertThat(apiReplicas * apiPool + workers * workerPool).as("2 x 13 + 10 x 4").isEqualTo(66)
                .isLessThanOrEqualTo(100 - 10 - 5);
    }

    @Test
    void everySnowpackVariableNamedInAManifestIsOneTheAppsRead() throws IOException {
        Set<String> known = new HashSet<>();
        Matcher documented = SNOWPACK_VARIABLE.matcher(SnowpackConfig.describeSettings());
        while (documented.find()) {
            known.add(documented.group());
        }
        known.addAll(List.of("SNOWPACK_HTTP_HOST", "SNOWPACK_HTTP_PORT", "SNOWPACK_API_TOKEN",
                "SNOWPACK_HTTP_MAX_BODY_BYTES", AppEnvironment.DATABASE_URL, AppEnvironment.DATABASE_USER,
                AppEnvironment.DATABASE_PASSWORD, AppEnvironment.DATABASE_POOL_SIZE, AppEnvironment.SCHEMA,
                AppEnvironment.WORKER_MODE, AppEnvironment.WORKER_SLOTS, AppEnvironment.CATALOG_NAME,
                AppEnvironment.METRICS_PORT, AppEnvironment.OTLP_ENDPOINT, AppEnvironment.OTLP_STEP,
                LogFormat.VARIABLE));
        try (Stream<Path> listing = Files.list(DEPLOY)) {
            for (Path file : listing.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.stripLeading().startsWith("#")) {
                        continue;
                    }
                    Matcher used = SNOWPACK_VARIABLE.matcher(line);
                    while (used.find()) {
                        String name = used.group();
                        // SNOWPACK_SPARK_*: passed to Spark by snowpack-spark's SparkSessions
                        assertThat(known.contains(name) || name.startsWith(AppEnvironment.CATALOG_PREFIX)
                                || name.startsWith("SNOWPACK_SPARK_"))
                                .as("%s in %s is read by no app", name, file).isTrue();
                    }
                }
            }
        }
    }

    /**
     * The Spark worker: a pool worker with Spark enabled whose master is the cluster's API server, in client mode
     * with this pod as the driver (reachable on the fixed ports its headless service names, owning its executor
     * pods), under a service account allowed to manage pods, and started with snowpack-spark's class path first.
     */
    @Test
    void theSparkWorkerDrivesExecutorPodsFromItsOwnPod() {
        JsonNode deployment = only("Deployment", "snowpack-spark-worker");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        Map<String, String> env = env(container);

        assertThat(env).containsEntry("SNOWPACK_EXECUTOR_SPARK_ENABLED", "true")
                .containsEntry("SNOWPACK_WORKER_MODE", "pool")
                .containsEntry("SNOWPACK_SPARK_DRIVER_HOST", "$(POD_IP)")
                .containsEntry("SNOWPACK_SPARK_CONF_DEPLOY_MODE", "spark.submit.deployMode=client")
                .containsEntry("SNOWPACK_SPARK_CONF_DRIVER_POD", "spark.kubernetes.driver.pod.name=$(POD_NAME)");
        assertThat(env.get("SNOWPACK_SPARK_MASTER")).startsWith("k8s://");
        assertThat(new AppEnvironment(env).config().executorSparkEnabled()).isTrue();
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        assertThat(args).contains("--add-opens=java.base/java.nio=ALL-UNNAMED", "/app/spark-libs/*:/app/snowpack.jar")
                .endsWith("io.snowpack.examples.Main", "worker");

        JsonNode service = only("Service", "snowpack-spark-driver");
        assertThat(service.at("/spec/clusterIP").asText()).isEqualTo("None");
        JsonNode labels = deployment.at("/spec/template/metadata/labels");
        service.at("/spec/selector").fields().forEachRemaining(e -> assertThat(labels.path(e.getKey()).asText())
                .as("the driver service selects the worker pod by %s", e.getKey()).isEqualTo(e.getValue().asText()));
        List<String> servicePorts = new ArrayList<>();
        service.at("/spec/ports").forEach(p -> servicePorts.add(p.path("port").asText()));
        assertThat(servicePorts).containsExactlyInAnyOrder(
                env.get("SNOWPACK_SPARK_CONF_DRIVER_PORT").replaceAll(".*=", ""),
                env.get("SNOWPACK_SPARK_CONF_BLOCK_MANAGER_PORT").replaceAll(".*=", ""));

        String account = pod.path("serviceAccountName").asText();
        assertThat(env.get("SNOWPACK_SPARK_CONF_SERVICE_ACCOUNT")).endsWith("=" + account);
        only("ServiceAccount", account);
        JsonNode binding = only("RoleBinding", "snowpack-spark-driver");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(account);
        JsonNode rule = only("Role", binding.at("/roleRef/name").asText()).at("/rules/0");
        List<String> verbs = new ArrayList<>();
        rule.path("verbs").forEach(v -> verbs.add(v.asText()));
        assertThat(verbs).contains("create", "watch", "delete");
        assertThat(rule.path("resources").toString()).contains("pods");
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return env;
    }
}
