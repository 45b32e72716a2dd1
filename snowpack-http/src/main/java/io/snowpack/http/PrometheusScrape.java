package io.snowpack.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;

/** The Prometheus text of the registry Snowpack records into, found in that registry or among a composite's. */
final class PrometheusScrape {
    private final PrometheusMeterRegistry registry;

    private PrometheusScrape(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** The Prometheus registry {@code registry} is or holds (depth first), if any. */
    static Optional<PrometheusScrape> find(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return Optional.of(new PrometheusScrape(prometheus));
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            for (MeterRegistry member : composite.getRegistries()) {
                Optional<PrometheusScrape> found = find(member);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    String scrape() {
        return registry.scrape();
    }
}
