/**
 * Spring Boot auto-configuration for Snowpack: with this starter on the classpath and {@code snowpack.*} properties,
 * a host gets the runtime with the roles it names ({@link io.snowpack.spring.SnowpackAutoConfiguration}), the REST
 * API on its own servlet container ({@link io.snowpack.spring.SnowpackWebAutoConfiguration}), a {@code snowpack}
 * Actuator health indicator ({@link io.snowpack.spring.SnowpackHealthAutoConfiguration}) and Snowpack's meters in its
 * {@code MeterRegistry}.
 */
package io.snowpack.spring;
