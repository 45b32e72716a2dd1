package io.snowpack.spring;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import io.snowpack.http.SnowpackApi;
import jakarta.servlet.Servlet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The REST API on the host's own servlet container, at {@code snowpack.api.path} (default {@code /snowpack}, so the
 * host's routes are not shadowed): no second port is opened. {@code snowpack.api.token} and
 * {@code snowpack.api.max-body-bytes} apply as on Snowpack's own server. {@code /metrics} is not served here: the
 * host exposes its registry (Actuator's {@code /actuator/prometheus}, for example), where Snowpack's meters are.
 * Off with {@code snowpack.api.enabled=false}.
 *
 * <p>The host's container still decides what reaches the servlet: Tomcat, for one, answers a path holding an
 * encoded slash ({@code %2F}) with its own 400 page unless the host sets the connector's
 * {@code encodedSolidusHandling} to {@code passthrough} (a server-wide choice this starter leaves to the host).
 */
@AutoConfiguration(after = SnowpackAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(Servlet.class)
@ConditionalOnBooleanProperty(name = "snowpack.api.enabled", matchIfMissing = true)
public class SnowpackWebAutoConfiguration {

    /** The framework-free API over the context's store, service and table source; closed with the context. */
    @Bean
    @ConditionalOnMissingBean
    public SnowpackApi snowpackApi(SnowpackStore store, MaintenanceService service, SnowpackConfig config,
            ObjectProvider<TableSource> tableSource, ObjectProvider<SnowpackCatalogStatus> catalogStatus,
            SnowpackProperties properties) {
        SnowpackApi.Builder builder = SnowpackApi.builder().store(store).service(service).config(config)
                .tableSource(tableSource.getIfUnique()).settings(properties.api().httpSettings());
        SnowpackCatalogStatus catalog = catalogStatus.getIfUnique();
        if (catalog != null) {
            builder.readinessDetail("catalog", catalog::status);
        }
        return builder.build();
    }

    /** The servlet serving {@code api} at {@code snowpack.api.path}. */
    @Bean
    @ConditionalOnMissingBean(name = "snowpackServletRegistration")
    public ServletRegistrationBean<SnowpackServlet> snowpackServletRegistration(SnowpackApi api,
            SnowpackProperties properties) {
        ServletRegistrationBean<SnowpackServlet> registration = new ServletRegistrationBean<>(
                new SnowpackServlet(api, properties.api().maxBodyBytes()), properties.api().path() + "/*");
        registration.setName("snowpack");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
