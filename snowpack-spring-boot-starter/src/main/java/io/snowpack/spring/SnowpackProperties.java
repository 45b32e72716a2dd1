package io.snowpack.spring;

import io.snowpack.core.runtime.Role;
import io.snowpack.http.HttpSettings;
import io.snowpack.jdbc.SnowpackSchema;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The starter's own {@code snowpack.*} properties: which roles run, the store's schema and migration, and where the
 * REST API is mounted on the host's web server. Snowpack's settings ({@code snowpack.health_sync.interval},
 * {@code snowpack.worker.max_attempts}, ...; see {@code SnowpackConfig.describeSettings()}) live under the same
 * prefix and are read by Snowpack's own parser, not declared here, so the two can never drift apart.
 *
 * @param roles       the roles this process runs: {@code scheduler}, {@code worker}. Unset: the scheduler, plus
 *                    the worker when a {@code MaintenanceExecutor} bean exists. Empty: none (an API-only process).
 *                    The API is not a role here: it is served by the host's web server (see {@link Api})
 * @param workerSlots jobs the worker runs at once; at least 1, default 1
 * @param store       the JDBC store over the host's {@code DataSource}
 * @param api         the REST API on the host's servlet container
 */
@ConfigurationProperties("snowpack")
public record SnowpackProperties(List<Role> roles, @DefaultValue("1") int workerSlots, @DefaultValue Store store,
        @DefaultValue Api api) {

    /** Property names of this record, as the starter sees them in the {@code snowpack.*} namespace. */
    static final List<String> OWN_KEYS = List.of("roles", "worker_slots", "store.migrate", "store.schema",
            "api.enabled", "api.path", "api.token", "api.max_body_bytes");

    /** Checks what binding cannot: {@code worker-slots} of at least 1. */
    public SnowpackProperties {
        if (workerSlots < 1) {
            throw new IllegalArgumentException("snowpack.worker-slots must be at least 1, got " + workerSlots);
        }
    }

    /**
     * The JDBC store.
     *
     * @param migrate whether the schema is created or upgraded when the context starts; default {@code true}
     * @param schema  the database schema holding Snowpack's tables; default {@value SnowpackSchema#DEFAULT_SCHEMA}
     */
    public record Store(@DefaultValue("true") boolean migrate,
            @DefaultValue(SnowpackSchema.DEFAULT_SCHEMA) String schema) {
        /** Checks the schema name as {@link SnowpackSchema#checkSchemaName} does. */
        public Store {
            SnowpackSchema.checkSchemaName(schema);
        }
    }

    /**
     * The REST API, mounted on the host's own servlet container when the host is a servlet web application.
     *
     * @param enabled      whether the API is mounted; default {@code true}
     * @param path         where it is mounted, e.g. {@code /snowpack/jobs/{id}}; default {@code /snowpack}
     * @param token        when set, every endpoint but {@code /healthz} and {@code /readyz} needs
     *                     {@code Authorization: Bearer <token>}; default none
     * @param maxBodyBytes the largest request body accepted (413 beyond); default 65536
     */
    public record Api(@DefaultValue("true") boolean enabled, @DefaultValue("/snowpack") String path, String token,
            @DefaultValue("" + HttpSettings.DEFAULT_MAX_BODY_BYTES) int maxBodyBytes) {
        /** Checks the path (absolute, plain characters, no trailing slash) and the body limit. */
        public Api {
            if (path == null || !path.matches("(/[A-Za-z0-9._~-]+)+")) {
                throw new IllegalArgumentException("snowpack.api.path must be an absolute path of plain segments "
                        + "without a trailing slash, e.g. /snowpack; got '" + path + "'");
            }
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("snowpack.api.max-body-bytes must be at least 1, got "
                        + maxBodyBytes);
            }
        }

        /** The bearer token, when one is set and not blank. */
        public Optional<String> bearerToken() {
            return Optional.ofNullable(token).filter(t -> !t.isBlank());
        }

        /** The settings {@code SnowpackApi} checks requests against (its address and port are not used here). */
        HttpSettings httpSettings() {
            return new HttpSettings(HttpSettings.DEFAULT_BIND_ADDRESS, 0, bearerToken(), maxBodyBytes);
        }
    }
}
