package io.snowpack.examples;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the executable apps set up for their own process and a library must not: JVM-wide properties and the
 * registry {@code /metrics} serves.
 */
final class ProcessSetup {
    private ProcessSetup() {
    }

    /**
     * Turns Nagle's algorithm off for the JDK HTTP server, unless the command line chose: the server writes a
     * response's headers and body separately, and the body would otherwise wait for the client's delayed ACK
     * (about 40 ms a request). Read once, when the JDK server first starts, so call it first thing in {@code main}.
     */
    static void jdkHttpServerNoDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** The registry the quickstart records into and serves at {@code /metrics}, with the JVM's meters. */
    static MeterRegistry prometheus() {
        return ProcessMetrics.quickstart().registry();
    }
}
