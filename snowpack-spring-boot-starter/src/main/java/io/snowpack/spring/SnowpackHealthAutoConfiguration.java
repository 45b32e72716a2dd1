package io.snowpack.spring;

import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@link SnowpackHealthIndicator}, as {@code snowpack} in the host's Actuator health, when Spring Boot's health
 * API ({@code spring-boot-health}, brought by {@code spring-boot-starter-actuator}) is present.
 */
@AutoConfiguration(after = SnowpackAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
public class SnowpackHealthAutoConfiguration {

    /** Snowpack's health: store, queue, leader, catalog. */
    @Bean
    @ConditionalOnMissingBean(name = "snowpackHealthIndicator")
    public SnowpackHealthIndicator snowpackHealthIndicator(SnowpackStore store, SnowpackRuntime runtime,
            ObjectProvider<TableSource> tableSource, ObjectProvider<SnowpackCatalogStatus> catalogStatus) {
        return new SnowpackHealthIndicator(store, runtime, tableSource.getIfUnique(), catalogStatus.getIfUnique());
    }
}
