package io.snowpack.testkit;

import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.Lease;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real {@link LeaderElector} whose process can be cut off from the store: while {@code cutOff} is set, every
 * call that would reach the store throws, as after a crash or a network partition. With {@code observable},
 * {@link #current} still answers, so a test can watch the lease from the cut-off side.
 */
public record UnreachableElector(LeaderElector delegate, AtomicBoolean cutOff, boolean observable)
        implements LeaderElector {

    private void reachable() {
        if (cutOff.get()) {
            throw new IllegalStateException("cut off from the store");
        }
    }

    @Override
    public Optional<Lease> tryAcquire(String lockKey, String holderId, Duration ttl) {
        reachable();
        return delegate.tryAcquire(lockKey, holderId, ttl);
    }

    @Override
    public Optional<Lease> renew(Lease lease, Duration ttl) {
        reachable();
        return delegate.renew(lease, ttl);
    }

    @Override
    public boolean release(Lease lease) {
        reachable();
        return delegate.release(lease);
    }

    @Override
    public boolean holds(Lease lease) {
        reachable();
        return delegate.holds(lease);
    }

    @Override
    public Optional<Lease> current(String lockKey) {
        if (!observable) {
            reachable();
        }
        return delegate.current(lockKey);
    }
}
