package io.snowpack.examples.reliability;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.jdbc.TestDatabases;
import java.util.HashMap;
import java.util.Map;

/** The {@code SNOWPACK_*} variables of the chaos runs: short heartbeats, a 3 s stale threshold, many attempts. */
final class ChaosEnvironment {
    private ChaosEnvironment() {
    }

    static Map<String, String> of(String jdbcUrl, String schema) {
        Map<String, String> env = new HashMap<>();
        env.put("SNOWPACK_DATABASE_URL", jdbcUrl);
        env.put("SNOWPACK_DATABASE_USER", "postgres");
        env.put("SNOWPACK_DATABASE_POOL_SIZE", "4");
        env.put("SNOWPACK_SCHEMA", schema);
        env.put("SNOWPACK_WORKER_MODE", "pool");
        env.put("SNOWPACK_WORKER_SLOTS", "2");
        env.put("SNOWPACK_WORKER_HEARTBEAT_INTERVAL", "500ms");
        env.put("SNOWPACK_SWEEPER_STALE_CLAIM_THRESHOLD", "3s");
        env.put("SNOWPACK_SWEEPER_INTERVAL", "1s");
        env.put("SNOWPACK_WORKER_LOCK_TTL", "6s");
        env.put("SNOWPACK_WORKER_MAX_ATTEMPTS", "50");
        env.put("SNOWPACK_WORKER_RETRY_BACKOFF_BASE", "1s");
        env.put("SNOWPACK_WORKER_RETRY_BACKOFF_CAP", "2s");
        return env;
    }

    static Map<String, String> of(String schema) {
        return of(TestDatabases.postgresJdbcUrl(), schema);
    }

    static SnowpackConfig config(Map<String, String> env) {
        return SnowpackConfig.fromEnvironment(env);
    }
}
