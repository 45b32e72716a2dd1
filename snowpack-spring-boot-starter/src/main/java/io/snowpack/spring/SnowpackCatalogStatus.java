package io.snowpack.spring;

/**
 * How the host's catalog connection is doing, in one sentence, answered from memory (never by calling the catalog):
 * for example {@code "connected"} or {@code "unreachable since 10:42: Connection refused"}. When the host defines a
 * bean of this type, the Actuator health indicator reports it under {@code catalog} and the API's {@code /readyz}
 * lists it; it never makes either unready, since job status, cancel and the sweeper do not need the catalog.
 */
@FunctionalInterface
public interface SnowpackCatalogStatus {
    /** The status sentence; must answer at once. */
    String status();
}
