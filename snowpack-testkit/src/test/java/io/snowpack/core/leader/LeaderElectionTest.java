package io.snowpack.core.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.testkit.SettableClock;
import io.snowpack.testkit.UnreachableElector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {
    private static final Duration TTL = Duration.ofSeconds(60);

    private SettableClock clock;
    private SnowpackStore store;

    @BeforeEach
    void setUp() {
        clock = new SettableClock();
        store = InMemoryStore.create(clock);
    }

    private LeaderElection election(String holder, LeaderElector elector) {
        return LeaderElection.builder().elector(elector).holderId(holder).ttl(TTL).clock(clock).build();
    }

    @Test
    void threeElectorsNeverLeadTogetherAndADeadLeaderIsReplacedWithinOneTtl() {
        List<LeaderElection> electors = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            electors.add(election("api-" + i, store.leaders()));
        }
        String firstLeader = null;
        for (int round = 0; round < 300; round++) {
            for (LeaderElection elector : electors) {
                if (ThreadLocalRandom.current().nextInt(4) > 0) {
                    elector.tick();
                }
            }
            assertThat(electors.stream().filter(LeaderElection::isLeader).count()).as("round " + round)
                    .isLessThanOrEqualTo(1);
            clock.advance(Duration.ofSeconds(7));
            if (firstLeader == null) {
                firstLeader = electors.stream().filter(LeaderElection::isLeader).map(LeaderElection::holderId)
                        .findFirst().orElse(null);
            }
        }
        assertThat(firstLeader).isNotNull();

        // The leader dies (stops ticking): another takes over once its lease lapses.
        LeaderElection dead = electors.stream().filter(LeaderElection::isLeader).findFirst()
                .orElseGet(() -> { electors.forEach(LeaderElection::tick); return electors.stream()
                        .filter(LeaderElection::isLeader).findFirst().orElseThrow(); });
        List<LeaderElection> alive = new ArrayList<>(electors);
        alive.remove(dead);
        Duration waited = Duration.ZERO;
        while (alive.stream().noneMatch(LeaderElection::isLeader)) {
            alive.forEach(LeaderElection::tick);
            assertThat(dead.isLeader() && alive.stream().anyMatch(LeaderElection::isLeader)).isFalse();
            clock.advance(Duration.ofSeconds(5));
            waited = waited.plusSeconds(5);
        }
        assertThat(waited).isLessThanOrEqualTo(TTL.plusSeconds(5));
        assertThat(dead.isLeader()).as("a leader that cannot renew stops believing it leads").isFalse();
    }

    @Test
    void aLeaderThatCannotReachTheStoreStepsDownBeforeItsLeaseLapses() {
        AtomicBoolean down = new AtomicBoolean();
        LeaderElector flaky = new UnreachableElector(store.leaders(), down, false);
        LeaderElection election = election("api-0", flaky);
        assertThat(election.tick()).isTrue();

        down.set(true);
        clock.advance(Duration.ofSeconds(20));
        assertThat(election.tick()).as("still safely inside the lease").isTrue();
        clock.advance(Duration.ofSeconds(21));
        assertThat(election.tick()).as("within a third of the TTL of expiry").isFalse();
        assertThat(election.isLeader()).isFalse();
    }

    @Test
    void closeReleasesTheLeadAtOnce() {
        LeaderElection first = election("api-0", store.leaders());
        LeaderElection second = election("api-1", store.leaders());
        assertThat(first.tick()).isTrue();
        assertThat(second.tick()).isFalse();

        first.close();

        assertThat(first.isLeader()).isFalse();
        assertThat(second.tick()).isTrue();
        assertThat(store.leaders().current(LeaderElection.SCHEDULER).orElseThrow().holder()).isEqualTo("api-1");
    }

    @Test
    void aTickThatThrowsAnErrorDoesNotEndTheLoop() throws Exception {
        CountDownLatch laterTicks = new CountDownLatch(2);
        AtomicBoolean thrown = new AtomicBoolean();
        LeaderElector once = new DelegatingElector(store.leaders()) {
            @Override
            public Optional<Lease> tryAcquire(String lockKey, String holderId, Duration ttl) {
                if (thrown.compareAndSet(false, true)) {
                    throw new AssertionError("an Error, not a RuntimeException");
                }
                laterTicks.countDown();
                return super.tryAcquire(lockKey, holderId, ttl);
            }

            @Override
            public Optional<Lease> renew(Lease lease, Duration ttl) {
                laterTicks.countDown();
                return super.renew(lease, ttl);
            }
        };
        LeaderElection election = LeaderElection.builder().elector(once).holderId("api-0")
                .ttl(Duration.ofMillis(300)).build();
        election.start();
        try {
            assertThat(laterTicks.await(30, TimeUnit.SECONDS)).as("ticks after the Error").isTrue();
            assertThat(thrown).isTrue();
        } finally {
            election.close();
        }
    }

    /** A real elector, passed through. */
    private static class DelegatingElector implements LeaderElector {
        private final LeaderElector delegate;

        DelegatingElector(LeaderElector delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<Lease> tryAcquire(String lockKey, String holderId, Duration ttl) {
            return delegate.tryAcquire(lockKey, holderId, ttl);
        }

        @Override
        public Optional<Lease> renew(Lease lease, Duration ttl) {
            return delegate.renew(lease, ttl);
        }

        @Override
        public boolean release(Lease lease) {
            return delegate.release(lease);
        }

        @Override
        public boolean holds(Lease lease) {
            return delegate.holds(lease);
        }

        @Override
        public Optional<Lease> current(String lockKey) {
            return delegate.current(lockKey);
        }
    }
}
