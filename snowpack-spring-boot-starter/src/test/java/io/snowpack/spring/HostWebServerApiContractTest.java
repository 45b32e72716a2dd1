package io.snowpack.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.TestDatabases;
import io.snowpack.testkit.SettableClock;
import io.snowpack.testkit.contract.ApiContract;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The seed REST contract over the host's own Tomcat: each {@link #startApi} runs the host application (starter
 * web, Actuator, an H2 {@code DataSource}) with the contract's store, service, table source, configuration and
 * registry as its beans, so the API answers through the starter's auto-configured servlet at {@code /snowpack}.
 * The runtime runs no role here (the contract drives workers itself); {@code /metrics} belongs to the host.
 */
class HostWebServerApiContractTest extends ApiContract {
    private static DataSource dataSource;
    private static String schema;

    @BeforeAll
    static void migrate() {
        dataSource = TestDatabases.h2();
        schema = TestDatabases.newSchema(dataSource, "spring_api");
    }

    @Override
    protected SnowpackStore createStore(SettableClock clock) {
        TestDatabases.truncate(dataSource, schema);
        return JdbcStore.builder(dataSource).schema(schema).clock(clock).build();
    }

    @Override
    protected ApiServer startApi(ApiSetup setup) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("snowpack.roles", "");
        properties.put("snowpack.store.schema", schema);
        properties.put("snowpack.api.max-body-bytes", Integer.toString(setup.maxBodyBytes()));
        setup.apiToken().ifPresent(token -> properties.put("snowpack.api.token", token));
        ConfigurableApplicationContext context = Hosts.start(properties, beans -> {
            beans.getBeanFactory().registerSingleton("dataSource", dataSource);
            beans.getBeanFactory().registerSingleton("store", setup.store());
            beans.getBeanFactory().registerSingleton("service", setup.service());
            beans.getBeanFactory().registerSingleton("config", setup.config());
            beans.getBeanFactory().registerSingleton("tableSource", setup.tableSource());
            beans.getBeanFactory().registerSingleton("meterRegistry", setup.meterRegistry());
        });
        URI base = URI.create(Hosts.base(context) + "/snowpack");
        return new ApiServer() {
            @Override
            public URI baseUri() {
                return base;
            }

            @Override
            public void close() {
                context.close();
            }
        };
    }

    @Override
    protected MeterRegistry newMeterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Override
    protected boolean servesMetrics() {
        return false;
    }
}
