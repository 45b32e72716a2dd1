package io.snowpack.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.runtime.Role;
import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.SnowpackSchema;
import java.util.EnumSet;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Snowpack in a Spring Boot host: its {@link SnowpackConfig} from the {@code snowpack.*} properties, a JDBC
 * {@link SnowpackStore} over the host's {@link DataSource} (schema migrated on start unless
 * {@code snowpack.store.migrate=false}), the {@link SnowpackRuntime} with the roles {@code snowpack.roles} names
 * (started and stopped with the context by {@link SnowpackLifecycle}), and its {@link MaintenanceService}. Metrics
 * go to the host's {@link MeterRegistry} when it has one. A {@link MaintenanceExecutor} bean enables the worker role
 * and dry runs; a {@link TableSource} bean enables health sync and live health. Every bean backs off when the host
 * defines its own.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@EnableConfigurationProperties(SnowpackProperties.class)
public class SnowpackAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SnowpackAutoConfiguration.class);

    /**
     * Snowpack's settings, read by Snowpack's own parser from {@code snowpack.*} properties and the documented
     * {@code SNOWPACK_*} environment variables, with Spring's precedence between sources.
     */
    @Bean
    @ConditionalOnMissingBean
    public SnowpackConfig snowpackConfig(ConfigurableEnvironment environment) {
        return SnowpackSettings.config(environment);
    }

    /** The JDBC store over the host's {@code DataSource}, its schema migrated first when so configured. */
    @Bean
    @ConditionalOnMissingBean
    public SnowpackStore snowpackStore(ObjectProvider<DataSource> dataSource, SnowpackProperties properties,
            SnowpackConfig config) {
        DataSource source = dataSource.getIfUnique();
        if (source == null) {
            throw new IllegalStateException("Snowpack needs a DataSource bean for its store (add "
                    + "spring-boot-starter-jdbc and spring.datasource.url, or define one), or a SnowpackStore bean");
        }
        String schema = properties.store().schema();
        if (properties.store().migrate()) {
            SnowpackSchema.migrate(source, schema);
        }
        return JdbcStore.builder(source).schema(schema).healthHistoryRule(config.healthHistoryRule()).build();
    }

    /** The runtime; not started here: {@link SnowpackLifecycle} starts it with the context. */
    @Bean
    @ConditionalOnMissingBean
    public SnowpackRuntime snowpackRuntime(SnowpackStore store, SnowpackConfig config, SnowpackProperties properties,
            ObjectProvider<MaintenanceExecutor> executor, ObjectProvider<TableSource> tableSource,
            ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<SnowpackCatalogStatus> catalogStatus) {
        MaintenanceExecutor maintenanceExecutor = executor.getIfUnique();
        Set<Role> roles = roles(properties, maintenanceExecutor != null);
        SnowpackRuntime.Builder builder = SnowpackRuntime.builder().store(store).config(config)
                .executor(maintenanceExecutor).tableSource(tableSource.getIfUnique())
                .roles(roles.toArray(Role[]::new)).workerSlots(properties.workerSlots());
        MeterRegistry registry = meterRegistry.getIfUnique();
        if (registry != null) {
            builder.meterRegistry(registry);
        }
        SnowpackCatalogStatus catalog = catalogStatus.getIfUnique();
        if (catalog != null) {
            builder.readinessDetail("catalog", catalog::status);
        }
        LOG.info("Snowpack roles: {}", roles.isEmpty() ? "none" : roles);
        return builder.build();
    }

    /** Starts and stops the runtime with the context. */
    @Bean
    @ConditionalOnMissingBean
    public SnowpackLifecycle snowpackLifecycle(SnowpackRuntime runtime) {
        return new SnowpackLifecycle(runtime);
    }

    /** The runtime's service: submit, list, cancel and plan maintenance from the host's code. */
    @Bean
    @ConditionalOnMissingBean
    public MaintenanceService snowpackMaintenanceService(SnowpackRuntime runtime) {
        return runtime.service();
    }

    static Set<Role> roles(SnowpackProperties properties, boolean hasExecutor) {
        if (properties.roles() == null) {
            Set<Role> roles = EnumSet.of(Role.SCHEDULER);
            if (hasExecutor) {
                roles.add(Role.WORKER);
            }
            return roles;
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        roles.addAll(properties.roles());
        if (roles.contains(Role.API)) {
            throw new IllegalStateException("snowpack.roles: 'api' is not a role in a Spring Boot host: the REST API "
                    + "is mounted on the host's own web server at snowpack.api.path when spring-boot-starter-web is "
                    + "present (snowpack.api.enabled=false turns it off); use scheduler and/or worker");
        }
        if (roles.contains(Role.WORKER) && !hasExecutor) {
            throw new IllegalStateException("snowpack.roles asks for the worker role, but the context has no "
                    + "MaintenanceExecutor bean: define one (e.g. snowpack-iceberg's executor over your catalog) or "
                    + "remove 'worker' from snowpack.roles");
        }
        return roles;
    }
}
