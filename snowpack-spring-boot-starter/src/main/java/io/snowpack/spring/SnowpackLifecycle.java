package io.snowpack.spring;

import io.snowpack.core.runtime.SnowpackRuntime;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link SnowpackRuntime} once the application context is refreshed (after the host's web server) and
 * closes it when the context stops, before the web server and the {@code DataSource}: workers hand running jobs
 * back and the scheduler lease is released. A runtime is started once; a context that is stopped and started again
 * does not restart it.
 */
public final class SnowpackLifecycle implements SmartLifecycle {
    private final SnowpackRuntime runtime;
    private volatile boolean running;

    /** Manages {@code runtime}, which must not be started yet. */
    public SnowpackLifecycle(SnowpackRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public synchronized void start() {
        if (!running) {
            runtime.start();
            running = true;
        }
    }

    @Override
    public synchronized void stop() {
        if (running) {
            running = false;
            runtime.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
