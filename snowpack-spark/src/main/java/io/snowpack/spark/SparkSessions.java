package io.snowpack.spark;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session a worker drives maintenance from, configured from its environment. Every variable
 * {@code SNOWPACK_SPARK_<NAME>} becomes the Spark setting {@code spark.<name>}, lower-cased with each {@code _}
 * read as a dot ({@code SNOWPACK_SPARK_MASTER=k8s://https://kubernetes.default.svc} sets {@code spark.master},
 * {@code SNOWPACK_SPARK_EXECUTOR_INSTANCES=4} sets {@code spark.executor.instances}). A setting whose name has
 * capitals or underscores is given whole instead: {@code SNOWPACK_SPARK_CONF_<anything>=spark.executor.memoryOverhead=1g}.
 * Unset, the master is {@code local[*]} (every core of this node) and the application is named
 * {@code snowpack-maintenance}.
 */
public final class SparkSessions {
    /** Variables with this prefix become {@code spark.*} settings. */
    public static final String ENVIRONMENT_PREFIX = "SNOWPACK_SPARK_";
    /** Variables with this prefix carry a whole {@code key=value} setting. */
    public static final String CONF_PREFIX = ENVIRONMENT_PREFIX + "CONF_";

    private static final String KUBERNETES_CLUSTER_MANAGER =
            "org.apache.spark.scheduler.cluster.k8s.KubernetesClusterManager";

    private SparkSessions() {
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, SparkSessions.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The Spark settings {@code environment} asks for, with the defaults for those it does not set. */
    public static Map<String, String> settings(Map<String, String> environment) {
        Map<String, String> settings = new TreeMap<>();
        settings.put("spark.master", "local[*]");
        settings.put("spark.app.name", "snowpack-maintenance");
        environment.forEach((name, value) -> {
            if (name.startsWith(CONF_PREFIX)) {
                int equals = value.indexOf('=');
                if (equals <= 0 || !value.startsWith("spark.")) {
                    throw new IllegalArgumentException(name + " must hold spark.<key>=<value>, got '" + value + "'");
                }
                settings.put(value.substring(0, equals).trim(), value.substring(equals + 1).trim());
            } else if (name.startsWith(ENVIRONMENT_PREFIX) && name.length() > ENVIRONMENT_PREFIX.length()
                    && !name.equals(SparkExecutorProvider.CHECKPOINT_INTERVAL_VARIABLE)) {
                String key = "spark." + name.substring(ENVIRONMENT_PREFIX.length()).toLowerCase(Locale.ROOT)
                        .replace('_', '.');
                settings.put(key, value);
            }
        });
        return settings;
    }

    /**
     * The session of {@link #settings}; an existing session of this JVM is reused ({@code getOrCreate}).
     *
     * @throws IllegalStateException for a {@code k8s://} master without Spark's Kubernetes support on the class
     *                               path, naming the artifact to add
     */
    public static SparkSession fromEnvironment(Map<String, String> environment) {
        SparkConf conf = new SparkConf(false);
        Map<String, String> settings = settings(environment);
        settings.forEach(conf::set);
        String master = settings.get("spark.master");
        if (master.startsWith("k8s://") && !onClassPath(KUBERNETES_CLUSTER_MANAGER)) {
            throw new IllegalStateException("spark.master=" + master + " needs Spark's Kubernetes support: add "
                    + "org.apache.spark:spark-kubernetes_2.13:" + org.apache.spark.package$.MODULE$.SPARK_VERSION()
                    + " to the worker's class path");
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
