package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.Completion;
import io.snowpack.core.spi.JobDraft;
import io.snowpack.core.spi.JobTransition;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.StartedJob;
import io.snowpack.testkit.TestData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every backend promises about {@link io.snowpack.core.spi.SnowpackStore#claimAndStart} and
 * {@link io.snowpack.core.spi.SnowpackStore#completeJobs}, the two steps a worker's job costs: a job is claimed,
 * running and holding its table lock all at once, or not at all; a completion writes everything or, once its claim
 * was revoked, nothing.
 */
public abstract class JobDispatchContract extends StoreContractSupport {
    private static final Duration TTL = Duration.ofHours(1);

    /** Submits a job as the service does: table lock, job row and queue row. */
    private JobId submit(String table) {
        JobDraft draft = TestData.draft(table);
        store.inTransaction(stores -> {
            stores.locks().tryAcquire(draft.table().key(), draft.jobId().value(), TTL).orElseThrow();
            stores.jobs().insert(draft);
            stores.queue().enqueue(draft.jobId(), Duration.ZERO);
            return null;
        });
        return draft.jobId();
    }

    @Test
    void aClaimedJobIsRunningOnTheClaimsAttemptAndHoldsItsTableLock() {
        JobId id = submit("db.orders");
        Lease submitted = store.locks().current("db.orders").orElseThrow();
        advance(Duration.ofMinutes(5));

        List<StartedJob> started = store.claimAndStart("w", 5, TTL);

        assertThat(started).singleElement().satisfies(s -> {
            assertThat(s.claim().jobId()).isEqualTo(id);
            assertThat(s.claim().workerId()).isEqualTo("w");
            assertThat(s.claim().attempts()).isEqualTo(1);
            assertThat(s.job().status()).isEqualTo(JobStatus.RUNNING);
            assertThat(s.job().attempts()).isEqualTo(1);
            assertThat(s.job().startedAt()).isNotNull();
            assertThat(s.lease().holder()).isEqualTo(id.value());
            assertThat(s.lease().fence()).as("the submit's lock, renewed: same term").isEqualTo(submitted.fence());
            assertThat(s.lease().expiresAt()).isEqualTo(clock.now().plus(TTL));
        });
        StartedJob s = started.get(0);
        assertThat(store.jobs().find(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(store.queue().entry(id).orElseThrow().fence()).isEqualTo(s.claim().fence());
        assertThat(store.locks().current("db.orders").orElseThrow().expiresAt()).isEqualTo(s.lease().expiresAt());
        assertThat(store.queue().heartbeat(s.claim())).isTrue();
        assertThat(store.locks().renew(s.lease(), TTL)).isPresent();
    }

    @Test
    void claimsHonourTheMaximumOldestFirstAndNeverTwice() {
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit("db.t" + i));
            advance(Duration.ofSeconds(1));
        }

        List<StartedJob> first = store.claimAndStart("a", 3, TTL);
        List<StartedJob> second = store.claimAndStart("b", 3, TTL);

        assertThat(first).extracting(s -> s.job().jobId()).containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(second).extracting(s -> s.job().jobId()).containsExactlyElementsOf(ids.subList(3, 5));
        assertThat(store.claimAndStart("c", 3, TTL)).isEmpty();
        assertThatThrownBy(() -> store.claimAndStart("c", 0, TTL)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> store.claimAndStart("c", 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }

    @Test
    void aJobRetriedAfterAnEarlierAttemptStartsWithTheResultsItHas() {
        JobId id = submit("db.orders");
        StartedJob first = store.claimAndStart("w", 1, TTL).get(0);
        ActionResult compacted = ActionResult.succeeded(MaintenanceAction.REWRITE_DATA_FILES, "done", 1.5,
                Map.of("files_in", 4L));
        store.inTransaction(stores -> {
            stores.jobs().addResult(id, compacted);
            stores.queue().retry(first.claim(), Duration.ZERO);
            stores.jobs().transition(id, JobStatus.RUNNING, JobTransition.retry("transient"));
            return null;
        });

        StartedJob second = store.claimAndStart("w", 1, TTL).get(0);

        assertThat(second.claim().attempts()).isEqualTo(2);
        assertThat(second.job().attempts()).isEqualTo(2);
        assertThat(second.job().results()).containsExactly(compacted);
        assertThat(second.claim().fence()).isGreaterThan(first.claim().fence());
    }

    @Test
    void aJobNoLongerPendingWhenClaimedIsNotStartedAndLeavesTheQueue() {
        JobId id = submit("db.orders");
        store.jobs().transition(id, JobStatus.PENDING, JobTransition.cancelled());

        assertThat(store.claimAndStart("w", 1, TTL)).isEmpty();
        assertThat(store.queue().entry(id)).isEmpty();
        assertThat(store.jobs().find(id).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void aJobWhoseExpiredLockAnotherJobTookFailsNamingTheHolder() {
        JobId id = submit("db.orders");
        advance(TTL.plusMinutes(1));
        Lease other = store.locks().tryAcquire("db.orders", "other-holder", TTL).orElseThrow();

        assertThat(store.claimAndStart("w", 1, TTL)).isEmpty();

        Job failed = store.jobs().find(id).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).contains("db.orders").contains("other-holder");
        assertThat(store.queue().entry(id)).isEmpty();
        assertThat(store.locks().current("db.orders")).contains(other);
    }

    @Test
    void aJobWhoseLockWasReleasedMeanwhileTakesItAgainInANewTerm() {
        JobId id = submit("db.orders");
        Lease submitted = store.locks().current("db.orders").orElseThrow();
        store.locks().release(submitted);

        StartedJob started = store.claimAndStart("w", 1, TTL).get(0);

        assertThat(started.job().jobId()).isEqualTo(id);
        assertThat(started.lease().holder()).isEqualTo(id.value());
        assertThat(started.lease().fence()).isNotEqualTo(submitted.fence());
        assertThat(store.locks().current("db.orders")).contains(started.lease());
    }

    @Test
    void aCompletionRecordsItsResultsCompletesTheJobAndFreesItsTable() {
        JobId id = submit("db.orders");
        StartedJob s = store.claimAndStart("w", 1, TTL).get(0);
        ActionResult result = ActionResult.succeeded(MaintenanceAction.REWRITE_DATA_FILES, "rewrote 4 files", 0.25,
                Map.of("files_in", 4L, "files_out", 1L));

        Set<JobId> completed = store.completeJobs(List.of(new Completion(s.claim(), s.lease(), List.of(result))));

        assertThat(completed).containsExactly(id);
        Job job = store.jobs().find(id).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.completedAt()).isNotNull();
        assertThat(job.results()).containsExactly(result);
        assertThat(store.queue().entry(id)).isEmpty();
        assertThat(store.locks().current("db.orders")).isEmpty();
    }

    @Test
    void aBatchOfCompletionsSkipsExactlyTheRevokedClaims() {
        List<StartedJob> started = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            submit("db.t" + i);
        }
        started.addAll(store.claimAndStart("w", 4, TTL));
        StartedJob cancelled = started.get(1);
        store.inTransaction(stores -> {
            stores.jobs().transition(cancelled.job().jobId(), JobStatus.RUNNING, JobTransition.cancelled());
            stores.queue().remove(cancelled.job().jobId());
            return null;
        });
        ActionResult ok = ActionResult.succeeded(MaintenanceAction.EXPIRE_SNAPSHOTS, "expired 2", 0.1, Map.of());

        Set<JobId> completed = store.completeJobs(started.stream()
                .map(s -> new Completion(s.claim(), s.lease(), List.of(ok))).toList());

        Set<JobId> expected = new HashSet<>(started.stream().map(s -> s.job().jobId()).toList());
        expected.remove(cancelled.job().jobId());
        assertThat(completed).containsExactlyInAnyOrderElementsOf(expected);
        for (JobId id : expected) {
            assertThat(store.jobs().find(id).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        }
        Job stillCancelled = store.jobs().find(cancelled.job().jobId()).orElseThrow();
        assertThat(stillCancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(stillCancelled.results()).as("nothing written for a revoked claim").isEmpty();
        assertThat(store.locks().current(cancelled.job().table().key())).as("its worker has not confirmed yet")
                .isPresent();
        assertThatThrownBy(() -> store.completeJobs(List.of(new Completion(started.get(0).claim(),
                started.get(0).lease(), List.of()), new Completion(started.get(0).claim(), started.get(0).lease(),
                List.of())))).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A burst of completions, larger than a backend may send in one statement, with none, one or two results per job
     * and two revoked claims (one of them last): every other job is completed with exactly its own results in order,
     * and only their tables are freed.
     */
    @Test
    void aLargeBatchOfCompletionsSettlesEveryCurrentClaimWithItsOwnResults() {
        int jobs = 300;
        for (int i = 0; i < jobs; i++) {
            submit("db.burst" + i);
        }
        List<StartedJob> started = new ArrayList<>();
        while (started.size() < jobs) {
            List<StartedJob> claimed = store.claimAndStart("w", jobs - started.size(), TTL);
            assertThat(claimed).as("claims until all %d jobs run", jobs).isNotEmpty();
            started.addAll(claimed);
        }
        Set<JobId> revoked = Set.of(started.get(150).job().jobId(), started.get(jobs - 1).job().jobId());
        for (JobId id : revoked) {
            store.inTransaction(stores -> {
                stores.jobs().transition(id, JobStatus.RUNNING, JobTransition.cancelled());
                stores.queue().remove(id);
                return null;
            });
        }
        Map<JobId, List<ActionResult>> results = new HashMap<>();
        List<Completion> completions = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            StartedJob s = started.get(i);
            List<ActionResult> own = new ArrayList<>();
            for (int r = 0; r < i % 3; r++) {
                own.add(r == 0
                        ? ActionResult.succeeded(MaintenanceAction.EXPIRE_SNAPSHOTS, "expired " + i, 0.5,
                                Map.of("snapshots_expired", (long) i))
                        : ActionResult.failed(MaintenanceAction.REWRITE_DATA_FILES, "job " + i + " failed", 1.5,
                                Map.of()));
            }
            results.put(s.job().jobId(), own);
            completions.add(new Completion(s.claim(), s.lease(), own));
        }

        Set<JobId> completed = store.completeJobs(completions);

        Set<JobId> expected = new HashSet<>(results.keySet());
        expected.removeAll(revoked);
        assertThat(completed).containsExactlyInAnyOrderElementsOf(expected);
        for (StartedJob s : started) {
            Job job = store.jobs().find(s.job().jobId()).orElseThrow();
            if (revoked.contains(job.jobId())) {
                assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
                assertThat(job.results()).as("nothing written for a revoked claim").isEmpty();
                assertThat(store.locks().current(job.table().key())).isPresent();
            } else {
                assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(job.results()).as("results of %s", job.table()).isEqualTo(results.get(job.jobId()));
                assertThat(store.locks().current(job.table().key())).isEmpty();
                assertThat(store.queue().entry(job.jobId())).isEmpty();
            }
        }
    }

    @Test
    void nothingToCompleteWritesNothing() {
        assertThat(store.completeJobs(List.of())).isEmpty();
    }
}
