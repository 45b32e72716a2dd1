package io.snowpack.spring;

import io.snowpack.spring.host.HostApp;
import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/** Starts {@link HostApp} as a real Spring Boot application, with beans the test hands over. */
final class Hosts {
    private Hosts() {
    }

    /**
     * Runs the host on a random port with {@code properties}; {@code beans} registers ready-made singletons (which
     * the context will not close) before the context refreshes.
     */
    static ConfigurableApplicationContext start(Map<String, Object> properties,
            Consumer<GenericApplicationContext> beans) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(HostApp.class)
                .properties(Map.of("server.port", "0", "server.address", "127.0.0.1",
                        "spring.main.banner-mode", "off"))
                .properties(properties)
                .initializers(context -> beans.accept((GenericApplicationContext) context));
        return builder.run();
    }

    /** Where the host's web server answers. */
    static URI base(ConfigurableApplicationContext context) {
        return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }
}
