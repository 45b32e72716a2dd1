package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.JobQueue;
import io.snowpack.core.spi.QueueEntry;
import io.snowpack.core.spi.Subscription;
import io.snowpack.testkit.Concurrently;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What every {@link JobQueue} promises. */
public abstract class JobQueueContract extends StoreContractSupport {

    private JobQueue queue() {
        return store.queue();
    }

    private JobId enqueue(Duration delay) {
        JobId id = JobId.random();
        queue().enqueue(id, delay);
        return id;
    }

    @Test
    void claimHandsOutAQueuedJobWithAFenceAndCountsTheAttempt() {
        JobId id = enqueue(Duration.ZERO);

        List<Claim> claims = queue().claim("worker-1", 1);

        assertThat(claims).hasSize(1);
        Claim claim = claims.get(0);
        assertThat(claim.jobId()).isEqualTo(id);
        assertThat(claim.workerId()).isEqualTo("worker-1");
        assertThat(claim.fence()).isPositive();
        assertThat(claim.attempts()).isEqualTo(1);
        assertThat(claim.claimedAt()).isEqualTo(store.now());
        QueueEntry entry = queue().entry(id).orElseThrow();
        assertThat(entry.isClaimed()).isTrue();
        assertThat(entry.claimedBy()).isEqualTo("worker-1");
        assertThat(entry.fence()).isEqualTo(claim.fence());
    }

    @Test
    void emptyQueueClaimsNothingAndRejectsANonPositiveMax() {
        assertThat(queue().claim("w", 10)).isEmpty();
        assertThatThrownBy(() -> queue().claim("w", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJobCannotBeQueuedTwice() {
        JobId id = enqueue(Duration.ZERO);
        assertThatThrownBy(() -> queue().enqueue(id, Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        assertThat(queue().readyDepth()).isEqualTo(1);
    }

    @Test
    void aClaimedJobIsNotHandedOutAgainWhileItsClaimIsValid() {
        enqueue(Duration.ZERO);
        assertThat(queue().claim("w1", 1)).hasSize(1);
        assertThat(queue().claim("w2", 5)).isEmpty();
        advance(Duration.ofMinutes(10));
        assertThat(queue().claim("w2", 5)).isEmpty();
    }

    @Test
    void aJobVisibleInTheFutureIsNotClaimableUntilThen() {
        JobId id = enqueue(Duration.ofMinutes(5));
        assertThat(queue().claim("w", 1)).isEmpty();
        assertThat(queue().readyDepth()).isZero();

        advance(Duration.ofMinutes(4));
        assertThat(queue().claim("w", 1)).isEmpty();

        advance(Duration.ofMinutes(1));
        assertThat(queue().readyDepth()).isEqualTo(1);
        assertThat(queue().claim("w", 1)).extracting(Claim::jobId).containsExactly(id);
    }

    @Test
    void claimsFollowVisibleAtOrder() {
        JobId third = enqueue(Duration.ofSeconds(30));
        JobId first = enqueue(Duration.ofSeconds(10));
        JobId second = enqueue(Duration.ofSeconds(20));
        advance(Duration.ofMinutes(1));

        List<JobId> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            order.add(queue().claim("w", 1).get(0).jobId());
        }
        assertThat(order).containsExactly(first, second, third);
    }

    @Test
    void batchClaimsTakeUpToMaxDistinctJobsOldestFirst() {
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ids.add(enqueue(Duration.ZERO));
            advance(Duration.ofMillis(1));
        }
        List<Claim> first = queue().claim("w", 10);
        List<Claim> second = queue().claim("w", 10);
        List<Claim> third = queue().claim("w", 10);

        assertThat(first).hasSize(10);
        assertThat(second).hasSize(10);
        assertThat(third).hasSize(5);
        assertThat(queue().claim("w", 10)).isEmpty();
        List<JobId> all = new ArrayList<>();
        List.of(first, second, third).forEach(batch -> batch.forEach(claim -> all.add(claim.jobId())));
        assertThat(all).containsExactlyElementsOf(ids);
        Set<Long> fences = new HashSet<>();
        List.of(first, second, third).forEach(batch -> batch.forEach(claim -> fences.add(claim.fence())));
        assertThat(fences).hasSize(25);
    }

    @Test
    void fencesGrowWithEveryClaim() {
        JobId id = enqueue(Duration.ZERO);
        Claim first = queue().claim("w", 1).get(0);
        assertThat(queue().release(first)).isTrue();
        Claim second = queue().claim("w", 1).get(0);
        enqueue(Duration.ZERO);
        Claim other = queue().claim("w", 1).get(0);

        assertThat(second.jobId()).isEqualTo(id);
        assertThat(second.fence()).isGreaterThan(first.fence());
        assertThat(other.fence()).isGreaterThan(second.fence());
    }

    @Test
    void heartbeatRefreshesAValidClaim() {
        JobId id = enqueue(Duration.ZERO);
        Claim claim = queue().claim("w", 1).get(0);
        advance(Duration.ofMinutes(20));

        assertThat(queue().heartbeat(claim)).isTrue();

        assertThat(queue().entry(id).orElseThrow().claimedAt()).isEqualTo(store.now());
        advance(Duration.ofMinutes(20));
        assertThat(queue().reclaimStale(Duration.ofMinutes(30))).isEmpty();
    }

    @Test
    void completeRemovesTheRowOnce() {
        JobId id = enqueue(Duration.ZERO);
        Claim claim = queue().claim("w", 1).get(0);

        assertThat(queue().complete(claim)).isTrue();
        assertThat(queue().entry(id)).isEmpty();
        assertThat(queue().complete(claim)).isFalse();
        assertThat(queue().heartbeat(claim)).isFalse();
    }

    @Test
    void aReclaimedClaimCanNeitherHeartbeatNorCompleteNorRetryNorRelease() {
        JobId id = enqueue(Duration.ZERO);
        Claim stale = queue().claim("w1", 1).get(0);
        advance(Duration.ofMinutes(31));

        List<Claim> reclaimed = queue().reclaimStale(Duration.ofMinutes(30));

        assertThat(reclaimed).containsExactly(stale);
        Claim fresh = queue().claim("w2", 1).get(0);
        assertThat(fresh.jobId()).isEqualTo(id);
        assertThat(fresh.fence()).isGreaterThan(stale.fence());
        assertThat(fresh.attempts()).isEqualTo(2);

        assertThat(queue().heartbeat(stale)).isFalse();
        assertThat(queue().retry(stale, Duration.ZERO)).isFalse();
        assertThat(queue().release(stale)).isFalse();
        assertThat(queue().complete(stale)).isFalse();
        assertThat(queue().completeAll(List.of(stale))).isEmpty();

        QueueEntry entry = queue().entry(id).orElseThrow();
        assertThat(entry.claimedBy()).isEqualTo("w2");
        assertThat(entry.fence()).isEqualTo(fresh.fence());
        assertThat(queue().complete(fresh)).isTrue();
    }

    @Test
    void reclaimTakesOnlyClaimsOlderThanTheThreshold() {
        enqueue(Duration.ZERO);
        Claim old = queue().claim("w1", 1).get(0);
        advance(Duration.ofMinutes(20));
        enqueue(Duration.ZERO);
        Claim young = queue().claim("w2", 1).get(0);
        advance(Duration.ofMinutes(11));

        assertThat(queue().reclaimStale(Duration.ofMinutes(30))).containsExactly(old);
        assertThat(queue().heartbeat(young)).isTrue();
        assertThat(queue().readyDepth()).isEqualTo(1);
    }

    @Test
    void retryRevokesTheFenceAndHidesTheJobForTheDelay() {
        JobId id = enqueue(Duration.ZERO);
        Claim claim = queue().claim("w", 1).get(0);

        assertThat(queue().retry(claim, Duration.ofMinutes(2))).isTrue();

        assertThat(queue().heartbeat(claim)).isFalse();
        QueueEntry entry = queue().entry(id).orElseThrow();
        assertThat(entry.isClaimed()).isFalse();
        assertThat(entry.visibleAt()).isEqualTo(store.now().plus(Duration.ofMinutes(2)));
        assertThat(queue().claim("w", 1)).isEmpty();
        advance(Duration.ofMinutes(2));
        Claim again = queue().claim("w", 1).get(0);
        assertThat(again.attempts()).isEqualTo(2);
    }

    @Test
    void postponeGivesTheAttemptBackAndRevokesTheFence() {
        JobId id = enqueue(Duration.ZERO);
        Claim first = queue().claim("w", 1).get(0);
        assertThat(queue().retry(first, Duration.ZERO)).isTrue();
        Claim second = queue().claim("w", 1).get(0);
        assertThat(second.attempts()).isEqualTo(2);

        assertThat(queue().postpone(second, Duration.ZERO)).isTrue();

        assertThat(queue().heartbeat(second)).as("fence revoked").isFalse();
        assertThat(queue().complete(second)).isFalse();
        QueueEntry entry = queue().entry(id).orElseThrow();
        assertThat(entry.isClaimed()).isFalse();
        assertThat(entry.attempts()).as("the postponed attempt does not count").isEqualTo(1);
        Claim third = queue().claim("w2", 1).get(0);
        assertThat(third.attempts()).isEqualTo(2);
        assertThat(third.fence()).isGreaterThan(second.fence());
    }

    @Test
    void aPostponedJobIsNotClaimableBeforeTheDelayAndIsAfter() {
        JobId id = enqueue(Duration.ZERO);
        Claim claim = queue().claim("w", 1).get(0);

        assertThat(queue().postpone(claim, Duration.ofSeconds(30))).isTrue();

        assertThat(queue().entry(id).orElseThrow().visibleAt()).isEqualTo(store.now().plus(Duration.ofSeconds(30)));
        assertThat(queue().readyDepth()).isZero();
        assertThat(queue().claim("w", 1)).isEmpty();
        advance(Duration.ofSeconds(29));
        assertThat(queue().claim("w", 1)).isEmpty();

        advance(Duration.ofSeconds(1));
        assertThat(queue().readyDepth()).isEqualTo(1);
        Claim again = queue().claim("w", 1).get(0);
        assertThat(again.jobId()).isEqualTo(id);
        assertThat(again.attempts()).isEqualTo(1);
    }

    @Test
    void aRevokedClaimsPostponeWritesNothing() {
        JobId id = enqueue(Duration.ZERO);
        Claim stale = queue().claim("w1", 1).get(0);
        advance(Duration.ofMinutes(31));
        assertThat(queue().reclaimStale(Duration.ofMinutes(30))).containsExactly(stale);
        Claim fresh = queue().claim("w2", 1).get(0);

        assertThat(queue().postpone(stale, Duration.ofMinutes(5))).isFalse();

        QueueEntry entry = queue().entry(id).orElseThrow();
        assertThat(entry.claimedBy()).isEqualTo("w2");
        assertThat(entry.fence()).isEqualTo(fresh.fence());
        assertThat(entry.attempts()).isEqualTo(2);
        assertThatThrownBy(() -> queue().postpone(fresh, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
        assertThat(queue().postpone(fresh, Duration.ZERO)).isTrue();
    }

    @Test
    void releaseHandsTheJobBackAtOnce() {
        enqueue(Duration.ZERO);
        Claim claim = queue().claim("w", 1).get(0);

        assertThat(queue().release(claim)).isTrue();

        assertThat(queue().readyDepth()).isEqualTo(1);
        assertThat(queue().complete(claim)).isFalse();
        assertThat(queue().claim("w2", 1)).hasSize(1);
    }

    @Test
    void removeRevokesAnyClaim() {
        JobId id = enqueue(Duration.ZERO);
        Claim claim = queue().claim("w", 1).get(0);

        assertThat(queue().remove(id)).isTrue();
        assertThat(queue().remove(id)).isFalse();
        assertThat(queue().heartbeat(claim)).isFalse();
        assertThat(queue().complete(claim)).isFalse();
    }

    @Test
    void completeAllSettlesOnlyTheClaimsStillHeld() {
        for (int i = 0; i < 5; i++) {
            enqueue(Duration.ZERO);
        }
        List<Claim> claims = queue().claim("w", 5);
        queue().remove(claims.get(1).jobId());
        queue().release(claims.get(3));

        Set<JobId> completed = queue().completeAll(claims);

        assertThat(completed).containsExactlyInAnyOrder(
                claims.get(0).jobId(), claims.get(2).jobId(), claims.get(4).jobId());
        assertThat(queue().entry(claims.get(3).jobId())).isPresent();
        assertThat(queue().readyDepth()).isEqualTo(1);
    }

    @Test
    void readyDepthCountsOnlyVisibleUnclaimedRows() {
        enqueue(Duration.ZERO);
        enqueue(Duration.ZERO);
        enqueue(Duration.ofHours(1));
        queue().claim("w", 1);

        assertThat(queue().readyDepth()).isEqualTo(1);
    }

    @Test
    void sixteenThreadsClaimingTenThousandJobsSeeEachExactlyOnce() throws Exception {
        int jobs = 10_000;
        int threads = 16;
        Set<JobId> queued = IntStream.range(0, jobs).mapToObj(i -> JobId.random()).collect(Collectors.toSet());
        queued.forEach(id -> queue().enqueue(id, Duration.ZERO));

        ConcurrentHashMap<JobId, Integer> seen = new ConcurrentHashMap<>();
        AtomicInteger lostCompletions = new AtomicInteger();
        Concurrently.run(threads, t -> () -> {
            String worker = "worker-" + t;
            while (true) {
                List<Claim> claims = queue().claim(worker, 1 + ThreadLocalRandom.current().nextInt(8));
                if (claims.isEmpty()) {
                    return null;
                }
                claims.forEach(claim -> seen.merge(claim.jobId(), 1, Integer::sum));
                if (claims.size() == 1) {
                    if (!queue().complete(claims.get(0))) {
                        lostCompletions.incrementAndGet();
                    }
                } else {
                    lostCompletions.addAndGet(claims.size() - queue().completeAll(claims).size());
                }
            }
        });

        assertThat(seen.keySet()).isEqualTo(queued);
        assertThat(seen.values()).allMatch(count -> count == 1);
        assertThat(lostCompletions).hasValue(0);
        assertThat(queue().readyDepth()).isZero();
    }

    @Test
    void jobsReadyListenersHearOfQueuedAndReleasedJobsUntilUnsubscribed() throws Exception {
        Semaphore heard = new Semaphore(0);
        Subscription subscription = store.onJobsReady(heard::release);
        assumeTrue(subscription != Subscription.NONE, store + " does not notify; its workers rely on polling");
        try {
            store.queue().enqueue(JobId.random(), Duration.ZERO);
            assertThat(heard.tryAcquire(10, TimeUnit.SECONDS)).as("heard of the queued job").isTrue();

            Claim claim = store.queue().claim("worker-1", 1).get(0);
            heard.drainPermits();
            store.queue().release(claim);
            assertThat(heard.tryAcquire(10, TimeUnit.SECONDS)).as("heard of the released job").isTrue();
        } finally {
            subscription.close();
        }
        heard.drainPermits();
        store.queue().enqueue(JobId.random(), Duration.ZERO);
        assertThat(heard.tryAcquire(500, TimeUnit.MILLISECONDS)).as("nothing after unsubscribing").isFalse();
    }
}
