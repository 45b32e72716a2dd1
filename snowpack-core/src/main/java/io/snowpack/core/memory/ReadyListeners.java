package io.snowpack.core.memory;

import io.snowpack.core.spi.Subscription;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners of {@link io.snowpack.core.spi.SnowpackStore#onJobsReady}; one failing listener spares the rest. */
final class ReadyListeners {
    private static final Logger LOG = LoggerFactory.getLogger(ReadyListeners.class);

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    Subscription add(Runnable listener) {
        Runnable registered = Objects.requireNonNull(listener, "listener")::run;
        listeners.add(registered);
        return () -> listeners.remove(registered);
    }

    void fire() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("A jobs-ready listener failed", e);
            }
        }
    }
}
