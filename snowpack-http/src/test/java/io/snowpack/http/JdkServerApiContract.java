package io.snowpack.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snowpack.testkit.contract.ApiContract;
import java.net.URI;

/**
 * The API suite over the JDK server adapter ({@link SnowpackHttpServer}) with a Prometheus registry behind
 * {@code /metrics}; a backend's test nests a subclass that only supplies the store. Shipped in this module's
 * test-jar.
 */
public abstract class JdkServerApiContract extends ApiContract {
    @Override
    protected ApiServer startApi(ApiSetup setup) {
        HttpSettings settings = HttpSettings.defaults().withPort(0).withMaxBodyBytes(setup.maxBodyBytes());
        if (setup.apiToken().isPresent()) {
            settings = settings.withApiToken(setup.apiToken().get());
        }
        SnowpackApi api = SnowpackApi.builder().store(setup.store()).service(setup.service())
                .tableSource(setup.tableSource()).config(setup.config()).settings(settings)
                .meterRegistry(setup.meterRegistry()).build();
        SnowpackHttpServer server = SnowpackHttpServer.start(api, settings);
        URI base = URI.create("http://127.0.0.1:" + server.port());
        return new ApiServer() {
            @Override
            public URI baseUri() {
                return base;
            }

            @Override
            public void close() {
                server.close();
                api.close();
            }
        };
    }

    @Override
    protected MeterRegistry newMeterRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
