package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.Lease;
import io.snowpack.testkit.Concurrently;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What every {@link LeaderElector} promises. */
public abstract class LeaderElectorContract extends StoreContractSupport {
    private static final String KEY = "scheduler";
    private static final Duration TTL = Duration.ofSeconds(60);

    private LeaderElector leaders() {
        return store.leaders();
    }

    @Test
    void theFirstCandidateLeadsAndOthersAreRefused() {
        Lease lease = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();

        assertThat(lease.holder()).isEqualTo("api-1");
        assertThat(lease.acquiredAt()).isEqualTo(store.now());
        assertThat(lease.expiresAt()).isEqualTo(store.now().plus(TTL));
        assertThat(leaders().tryAcquire(KEY, "api-2", TTL)).isEmpty();
        assertThat(leaders().current(KEY)).contains(lease);
    }

    @Test
    void theLeaderAcquiringAgainExtendsItsLeaseAndKeepsItsStart() {
        Lease first = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        advance(Duration.ofSeconds(30));

        Lease again = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();

        assertThat(again.acquiredAt()).isEqualTo(first.acquiredAt());
        assertThat(again.expiresAt()).isEqualTo(store.now().plus(TTL));
    }

    @Test
    void renewExtendsAValidLease() {
        Lease lease = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        advance(Duration.ofSeconds(45));

        Lease renewed = leaders().renew(lease, TTL).orElseThrow();

        assertThat(renewed.expiresAt()).isEqualTo(store.now().plus(TTL));
        advance(Duration.ofSeconds(45));
        assertThat(leaders().tryAcquire(KEY, "api-2", TTL)).isEmpty();
    }

    /** The same rule as {@link LockManagerContract}'s: a renewal continues the term, it does not start one. */
    @Test
    void renewKeepsTheTermsStartAndFence() {
        Lease lease = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        advance(Duration.ofSeconds(45));

        Lease renewed = leaders().renew(lease, TTL).orElseThrow();

        assertThat(renewed.key()).isEqualTo(KEY);
        assertThat(renewed.holder()).isEqualTo("api-1");
        assertThat(renewed.fence()).isEqualTo(lease.fence());
        assertThat(renewed.acquiredAt()).isEqualTo(lease.acquiredAt());
        assertThat(renewed.expiresAt()).isEqualTo(store.now().plus(TTL));
        assertThat(leaders().current(KEY)).contains(renewed);
        assertThat(leaders().holds(lease)).as("the lease as first handed out is the same term").isTrue();
    }

    @Test
    void theSameHolderAfterALapseStartsANewTerm() {
        Lease lapsed = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        advance(TTL.plusSeconds(1));

        Lease next = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();

        assertThat(next.fence()).isGreaterThan(lapsed.fence());
        assertThat(next.acquiredAt()).isEqualTo(store.now());
        assertThat(next.expiresAt()).isEqualTo(store.now().plus(TTL));
        assertThat(leaders().holds(lapsed)).isFalse();
        assertThat(leaders().renew(lapsed, TTL)).isEmpty();
        assertThat(leaders().release(lapsed)).isFalse();
        assertThat(leaders().current(KEY)).contains(next);
    }

    /** The same rule as {@link LockManagerContract}'s: holder and fence must both be current. */
    @Test
    void aForgedLeaseWithTheRightHolderButAnotherFenceIsRefused() {
        Lease lease = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        Lease forged = new Lease(KEY, "api-1", lease.fence() - 1, lease.acquiredAt(), lease.expiresAt());
        Lease wrongHolder = new Lease(KEY, "api-2", lease.fence(), lease.acquiredAt(), lease.expiresAt());

        assertThat(leaders().holds(forged)).isFalse();
        assertThat(leaders().renew(forged, TTL)).isEmpty();
        assertThat(leaders().release(forged)).isFalse();
        assertThat(leaders().holds(wrongHolder)).isFalse();
        assertThat(leaders().renew(wrongHolder, TTL)).isEmpty();
        assertThat(leaders().release(wrongHolder)).isFalse();
        assertThat(leaders().current(KEY)).contains(lease);
        assertThat(leaders().holds(lease)).isTrue();
    }

    @Test
    void aLapsedLeaseIsTakenOverAndTheOldLeaderCannotRenew() {
        Lease old = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        advance(TTL);

        Lease taken = leaders().tryAcquire(KEY, "api-2", TTL).orElseThrow();

        assertThat(taken.holder()).isEqualTo("api-2");
        assertThat(taken.acquiredAt()).isEqualTo(store.now());
        assertThat(leaders().renew(old, TTL)).isEmpty();
        assertThat(leaders().release(old)).isFalse();
        assertThat(leaders().current(KEY)).contains(taken);
    }

    @Test
    void aLapsedLeaseCannotBeRenewedEvenIfNobodyTookIt() {
        Lease lease = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        advance(TTL.plusSeconds(1));

        assertThat(leaders().renew(lease, TTL)).isEmpty();
        assertThat(leaders().tryAcquire(KEY, "api-1", TTL)).isPresent();
    }

    @Test
    void releaseLetsAnotherCandidateLeadAtOnce() {
        Lease lease = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();

        assertThat(leaders().release(lease)).isTrue();
        assertThat(leaders().current(KEY)).isEmpty();
        assertThat(leaders().tryAcquire(KEY, "api-2", TTL)).isPresent();
        assertThat(leaders().release(lease)).isFalse();
    }

    @Test
    void keysAreIndependentAndTtlMustBePositive() {
        assertThat(leaders().tryAcquire("scheduler", "api-1", TTL)).isPresent();
        assertThat(leaders().tryAcquire("health_sync", "api-2", TTL)).isPresent();
        assertThatThrownBy(() -> leaders().tryAcquire("other", "api-1", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        Lease lease = leaders().current("scheduler").orElseThrow();
        assertThatThrownBy(() -> leaders().renew(lease, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(leaders().current("other")).isEmpty();
    }

    @Test
    void eachNewTermHasALargerFenceAndRenewalKeepsIt() {
        Lease first = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        Lease renewed = leaders().renew(first, TTL).orElseThrow();
        Lease again = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        advance(TTL);
        Lease successor = leaders().tryAcquire(KEY, "api-2", TTL).orElseThrow();
        advance(TTL);
        Lease comeback = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();

        assertThat(renewed.fence()).isEqualTo(first.fence());
        assertThat(again.fence()).isEqualTo(first.fence());
        assertThat(successor.fence()).isGreaterThan(first.fence());
        assertThat(comeback.fence()).as("the same holder after a lapse is a new term").isGreaterThan(successor.fence());
        assertThat(leaders().current(KEY)).contains(comeback);
        assertThat(leaders().renew(first, TTL)).as("an old term of the same holder").isEmpty();
        assertThat(leaders().release(first)).isFalse();
        assertThat(leaders().holds(first)).isFalse();
        assertThat(leaders().holds(comeback)).isTrue();
    }

    @Test
    void aLeaseHoldsOnlyWhileItsTermIsCurrentAndUnexpired() {
        Lease lease = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        assertThat(leaders().holds(lease)).isTrue();
        advance(TTL.minusSeconds(1));
        assertThat(leaders().holds(lease)).isTrue();
        advance(Duration.ofSeconds(1));
        assertThat(leaders().holds(lease)).as("lapsed, though nobody took over").isFalse();

        Lease next = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        assertThat(leaders().holds(next)).isTrue();
        assertThat(leaders().release(next)).isTrue();
        assertThat(leaders().holds(next)).as("released").isFalse();
    }

    @Test
    void aTakeoverWaitsForTheUnitOfWorkThatCheckedTheFence() throws Exception {
        Lease old = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicBoolean lastWriteMade = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> fencedWrite = threads.submit(() -> store.inTransaction(stores -> {
                boolean holds = stores.leaders().holds(old);
                checked.countDown();
                await(finish);
                stores.settings().setDrainMode(true); // stands for any leader-only write
                lastWriteMade.set(true);
                return holds;
            }));
            await(checked);
            advance(TTL.plusSeconds(1)); // the old lease lapses while its fenced unit of work is open
            Future<Boolean> takeover = threads.submit(() -> {
                Optional<Lease> taken = leaders().tryAcquire(KEY, "api-2", TTL);
                return taken.isPresent() && lastWriteMade.get();
            });
            try {
                takeover.get(500, TimeUnit.MILLISECONDS);
            } catch (TimeoutException expected) {
                // waiting for the fenced unit of work, as it should
            }
            finish.countDown();

            assertThat(fencedWrite.get(30, TimeUnit.SECONDS)).as("the fence held when checked").isTrue();
            assertThat(takeover.get(30, TimeUnit.SECONDS)).as("taken over, only after the fenced write committed")
                    .isTrue();
            assertThat(leaders().holds(old)).isFalse();
            assertThat(leaders().current(KEY).orElseThrow().fence()).isGreaterThan(old.fence());
        } finally {
            finish.countDown();
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void concurrentCandidatesElectExactlyOneLeader() throws Exception {
        List<Boolean> led = Concurrently.run(8, i -> () -> leaders().tryAcquire(KEY, "api-" + i, TTL).isPresent());

        assertThat(led).containsOnlyOnce(true);
    }
}
