package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.LockManager;
import io.snowpack.testkit.Concurrently;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What every {@link LockManager} promises. */
public abstract class LockManagerContract extends StoreContractSupport {
    private static final String KEY = "offer_service.offers";
    private static final Duration TTL = Duration.ofMinutes(60);

    private LockManager locks() {
        return store.locks();
    }

    @Test
    void aFreeLockIsAcquiredWithAFenceAndAnExpiry() {
        Lease lease = locks().tryAcquire(KEY, "job-a", TTL).orElseThrow();

        assertThat(lease.key()).isEqualTo(KEY);
        assertThat(lease.holder()).isEqualTo("job-a");
        assertThat(lease.fence()).isPositive();
        assertThat(lease.acquiredAt()).isEqualTo(store.now());
        assertThat(lease.expiresAt()).isEqualTo(store.now().plus(TTL));
        assertThat(locks().current(KEY)).contains(lease);
    }

    @Test
    void aHeldLockIsNotAcquiredByAnyoneElseNorAgainByItsHolder() {
        Lease lease = locks().tryAcquire(KEY, "job-a", TTL).orElseThrow();

        assertThat(locks().tryAcquire(KEY, "job-b", TTL)).isEmpty();
        assertThat(locks().tryAcquire(KEY, "job-a", TTL)).isEmpty();
        assertThat(locks().current(KEY)).contains(lease);
    }

    @Test
    void locksOnDifferentKeysAreIndependent() {
        assertThat(locks().tryAcquire("db.one", "job-a", TTL)).isPresent();
        assertThat(locks().tryAcquire("db.two", "job-b", TTL)).isPresent();
    }

    @Test
    void anExpiredLockCanBeTakenOverAndTheOldHolderCanNoLongerRenewOrRelease() {
        Lease old = locks().tryAcquire(KEY, "job-a", TTL).orElseThrow();
        advance(TTL);

        Lease taken = locks().tryAcquire(KEY, "job-b", TTL).orElseThrow();

        assertThat(taken.fence()).isGreaterThan(old.fence());
        assertThat(locks().renew(old, TTL)).isEmpty();
        assertThat(locks().release(old)).isFalse();
        assertThat(locks().current(KEY)).contains(taken);
    }

    @Test
    void renewExtendsTheLeaseAndKeepsItsFence() {
        Lease lease = locks().tryAcquire(KEY, "job-a", TTL).orElseThrow();
        advance(Duration.ofMinutes(50));

        Lease renewed = locks().renew(lease, TTL).orElseThrow();

        assertThat(renewed.key()).isEqualTo(KEY);
        assertThat(renewed.holder()).isEqualTo("job-a");
        assertThat(renewed.fence()).isEqualTo(lease.fence());
        assertThat(renewed.acquiredAt()).isEqualTo(lease.acquiredAt());
        assertThat(renewed.expiresAt()).isEqualTo(store.now().plus(TTL));
        assertThat(locks().current(KEY)).contains(renewed);
        advance(Duration.ofMinutes(50));
        assertThat(locks().tryAcquire(KEY, "job-b", TTL)).isEmpty();
    }

    @Test
    void anExpiredLeaseThatNobodyTookCanStillBeRenewed() {
        Lease lease = locks().tryAcquire(KEY, "job-a", TTL).orElseThrow();
        advance(TTL.plusMinutes(5));

        assertThat(locks().renew(lease, TTL)).isPresent();
        assertThat(locks().tryAcquire(KEY, "job-b", TTL)).isEmpty();
    }

    /** Where locks differ from leadership on purpose: an expired lock whose holder renews keeps its term. */
    @Test
    void renewingAnExpiredLeaseThatNobodyTookKeepsItsTerm() {
        Lease lease = locks().tryAcquire(KEY, "job-a", TTL).orElseThrow();
        advance(TTL.plusMinutes(5));

        Lease renewed = locks().renew(lease, TTL).orElseThrow();

        assertThat(renewed.fence()).isEqualTo(lease.fence());
        assertThat(renewed.acquiredAt()).isEqualTo(lease.acquiredAt());
        assertThat(renewed.expiresAt()).isEqualTo(store.now().plus(TTL));
        assertThatThrownBy(() -> locks().renew(renewed, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(locks().current(KEY)).contains(renewed);
    }

    @Test
    void releaseFreesTheLockOnce() {
        Lease lease = locks().tryAcquire(KEY, "job-a", TTL).orElseThrow();

        assertThat(locks().release(lease)).isTrue();
        assertThat(locks().release(lease)).isFalse();
        assertThat(locks().current(KEY)).isEmpty();
        Lease next = locks().tryAcquire(KEY, "job-b", TTL).orElseThrow();
        assertThat(next.fence()).isGreaterThan(lease.fence());
        assertThat(locks().renew(lease, TTL)).isEmpty();
    }

    @Test
    void aForgedLeaseWithTheRightHolderButAnOldFenceIsRefused() {
        Lease lease = locks().tryAcquire(KEY, "job-a", TTL).orElseThrow();
        Lease forged = new Lease(KEY, "job-a", lease.fence() - 1, lease.acquiredAt(), lease.expiresAt());
        Lease wrongHolder = new Lease(KEY, "job-b", lease.fence(), lease.acquiredAt(), lease.expiresAt());

        assertThat(locks().release(forged)).isFalse();
        assertThat(locks().renew(forged, TTL)).isEmpty();
        assertThat(locks().release(wrongHolder)).isFalse();
        assertThat(locks().current(KEY)).contains(lease);
    }

    @Test
    void releaseIfHeldByReleasesOnlyTheNamedHoldersLock() {
        locks().tryAcquire(KEY, "job-a", TTL).orElseThrow();

        assertThat(locks().releaseIfHeldBy(KEY, "job-b")).isFalse();
        assertThat(locks().current(KEY)).isPresent();
        assertThat(locks().releaseIfHeldBy(KEY, "job-a")).isTrue();
        assertThat(locks().current(KEY)).isEmpty();
        assertThat(locks().releaseIfHeldBy(KEY, "job-a")).isFalse();
    }

    @Test
    void releaseExpiredReleasesOnlyExpiredLeases() {
        Lease old = locks().tryAcquire("db.old", "job-a", Duration.ofMinutes(5)).orElseThrow();
        Lease young = locks().tryAcquire("db.young", "job-b", TTL).orElseThrow();
        advance(Duration.ofMinutes(6));

        List<Lease> released = locks().releaseExpired();

        assertThat(released).containsExactly(old);
        assertThat(locks().current("db.old")).isEmpty();
        assertThat(locks().current("db.young")).contains(young);
        assertThat(locks().releaseExpired()).isEmpty();
    }

    @Test
    void aNonPositiveTtlIsRejected() {
        assertThatThrownBy(() -> locks().tryAcquire(KEY, "job-a", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> locks().tryAcquire(KEY, "job-a", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(locks().current(KEY)).isEmpty();
    }

    @Test
    void sixteenThreadsContendingForOneLockNeverHoldItTogether() throws Exception {
        int threads = 16;
        int roundsPerThread = 200;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger maxHolders = new AtomicInteger();
        AtomicInteger acquisitions = new AtomicInteger();
        AtomicInteger refusedReleases = new AtomicInteger();
        Concurrently.run(threads, t -> () -> {
            String holder = "job-" + t;
            for (int round = 0; round < roundsPerThread; round++) {
                Optional<Lease> lease = locks().tryAcquire(KEY, holder, TTL);
                if (lease.isEmpty()) {
                    continue;
                }
                maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                acquisitions.incrementAndGet();
                Thread.yield();
                holders.decrementAndGet();
                if (!locks().release(lease.get())) {
                    refusedReleases.incrementAndGet();
                }
            }
            return null;
        });

        assertThat(maxHolders).hasValue(1);
        assertThat(acquisitions.get()).isPositive();
        assertThat(refusedReleases).hasValue(0);
        assertThat(locks().current(KEY)).isEmpty();
    }
}
