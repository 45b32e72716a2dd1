package io.snowpack.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.LeaderLease;
import io.snowpack.core.testing.Concurrently;
import java.time.Duration;
import java.util.List;
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
        LeaderLease lease = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();

        assertThat(lease.holderId()).isEqualTo("api-1");
        assertThat(lease.acquiredAt()).isEqualTo(store.now());
        assertThat(lease.expiresAt()).isEqualTo(store.now().plus(TTL));
        assertThat(leaders().tryAcquire(KEY, "api-2", TTL)).isEmpty();
        assertThat(leaders().current(KEY)).contains(lease);
    }

    @Test
    void theLeaderAcquiringAgainExtendsItsLeaseAndKeepsItsStart() {
        LeaderLease first = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        advance(Duration.ofSeconds(30));

        LeaderLease again = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();

        assertThat(again.acquiredAt()).isEqualTo(first.acquiredAt());
        assertThat(again.expiresAt()).isEqualTo(store.now().plus(TTL));
    }

    @Test
    void renewExtendsAValidLease() {
        LeaderLease lease = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        advance(Duration.ofSeconds(45));

        LeaderLease renewed = leaders().renew(lease, TTL).orElseThrow();

        assertThat(renewed.expiresAt()).isEqualTo(store.now().plus(TTL));
        advance(Duration.ofSeconds(45));
        assertThat(leaders().tryAcquire(KEY, "api-2", TTL)).isEmpty();
    }

    @Test
    void aLapsedLeaseIsTakenOverAndTheOldLeaderCannotRenew() {
        LeaderLease old = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        advance(TTL);

        LeaderLease taken = leaders().tryAcquire(KEY, "api-2", TTL).orElseThrow();

        assertThat(taken.holderId()).isEqualTo("api-2");
        assertThat(taken.acquiredAt()).isEqualTo(store.now());
        assertThat(leaders().renew(old, TTL)).isEmpty();
        assertThat(leaders().release(old)).isFalse();
        assertThat(leaders().current(KEY)).contains(taken);
    }

    @Test
    void aLapsedLeaseCannotBeRenewedEvenIfNobodyTookIt() {
        LeaderLease lease = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();
        advance(TTL.plusSeconds(1));

        assertThat(leaders().renew(lease, TTL)).isEmpty();
        assertThat(leaders().tryAcquire(KEY, "api-1", TTL)).isPresent();
    }

    @Test
    void releaseLetsAnotherCandidateLeadAtOnce() {
        LeaderLease lease = leaders().tryAcquire(KEY, "api-1", TTL).orElseThrow();

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
    }

    @Test
    void concurrentCandidatesElectExactlyOneLeader() throws Exception {
        List<Boolean> led = Concurrently.run(8, i -> () -> leaders().tryAcquire(KEY, "api-" + i, TTL).isPresent());

        assertThat(led).containsOnlyOnce(true);
    }
}
