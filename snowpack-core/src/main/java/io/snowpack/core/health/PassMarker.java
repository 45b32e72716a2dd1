package io.snowpack.core.health;

import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.Lease;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every replica that a pass is running, and since when, through the shared store: a lease on lock key
 * {@value HealthSync#PASS_KEY} taken when a pass starts (its {@code acquired_at} is the pass's start), renewed as
 * tables finish at most every third of its TTL, and released when the pass ends. Best effort: the marker is
 * information for {@code GET /tables/cache-status}, never a lock, so a failure to take, renew or release it is
 * logged and the pass goes on; a replica that dies mid-pass leaves a marker that lapses after its TTL.
 */
final class PassMarker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PassMarker.class);

    private final LeaderElector leases;
    private final Duration ttl;
    private Lease lease;
    private long renewedNanos;

    private PassMarker(LeaderElector leases, Duration ttl, Lease lease) {
        this.leases = leases;
        this.ttl = ttl;
        this.lease = lease;
        this.renewedNanos = System.nanoTime();
    }

    /** Marks a pass by {@code holderId} as running; the marker does nothing when it could not be taken. */
    static PassMarker open(LeaderElector leases, String holderId, Duration ttl) {
        Lease taken = null;
        try {
            Optional<Lease> acquired = leases.tryAcquire(HealthSync.PASS_KEY, holderId, ttl);
            taken = acquired.orElse(null);
            if (taken == null) {
                LOG.debug("Health sync pass marker held by another replica; this pass runs unmarked");
            }
        } catch (RuntimeException e) {
            LOG.debug("Health sync pass marker not taken; this pass runs unmarked", e);
        }
        return new PassMarker(leases, ttl, taken);
    }

    /** Renews the marker when a third of its TTL has passed since it was taken or last renewed. */
    synchronized void keepAlive() {
        if (lease == null || System.nanoTime() - renewedNanos < ttl.toNanos() / 3) {
            return;
        }
        renewedNanos = System.nanoTime();
        try {
            lease = leases.renew(lease, ttl).orElse(null);
        } catch (RuntimeException e) {
            LOG.debug("Health sync pass marker not renewed", e);
        }
    }

    /** Clears the marker: no pass is running any more. */
    @Override
    public synchronized void close() {
        if (lease == null) {
            return;
        }
        try {
            leases.release(lease);
        } catch (RuntimeException e) {
            LOG.debug("Health sync pass marker not released; it lapses at {}", lease.expiresAt(), e);
        }
        lease = null;
    }
}
