package io.snowpack.core.spi;

import io.snowpack.core.FenceRevokedException;

/**
 * Called by an executor between units of work (file groups) and right before every commit. Returns when the
 * job may go on; throws when its fence was revoked, after which the executor must stop and commit nothing.
 */
@FunctionalInterface
public interface Checkpoint {
    /**
     * @throws FenceRevokedException when the job was cancelled, its claim reclaimed or its table lock lost
     */
    void check();

    /** A checkpoint that always lets the work go on (previews, tests). */
    static Checkpoint none() {
        return () -> { };
    }
}
