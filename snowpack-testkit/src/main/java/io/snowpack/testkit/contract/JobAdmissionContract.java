package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.DrainModeException;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.Admission;
import io.snowpack.core.spi.JobDraft;
import io.snowpack.core.spi.JobTransition;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.StartedJob;
import io.snowpack.testkit.TestData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every backend promises about {@link io.snowpack.core.spi.SnowpackStore#queueJobs}, the submit's unit of work:
 * a queued draft is a pending job, claimable at once, holding its table's lock; a busy draft writes nothing and names
 * what holds the table; the answers come in the drafts' order.
 */
public abstract class JobAdmissionContract extends StoreContractSupport {
    private static final Duration TTL = Duration.ofHours(1);

    @Test
    void aQueuedDraftIsAPendingClaimableJobHoldingItsTablesLock() {
        JobDraft draft = new JobDraft(JobId.random(), TableId.parse("db.orders"),
                List.of(MaintenanceAction.EXPIRE_SNAPSHOTS, MaintenanceAction.REWRITE_DATA_FILES), false,
                JobTrigger.ORCHESTRATOR);

        List<Admission> admissions = store.queueJobs(List.of(draft), TTL);

        assertThat(admissions).singleElement().satisfies(a -> {
            assertThat(a.isQueued()).isTrue();
            assertThat(a.draft()).isSameAs(draft);
            assertThat(a.holder()).isNull();
            assertThat(a.job().jobId()).isEqualTo(draft.jobId());
            assertThat(a.job().table()).isEqualTo(draft.table());
            assertThat(a.job().actions()).as("canonical order").containsExactlyElementsOf(draft.actions());
            assertThat(a.job().status()).isEqualTo(JobStatus.PENDING);
            assertThat(a.job().trigger()).isEqualTo(JobTrigger.ORCHESTRATOR);
            assertThat(a.job().dryRun()).isFalse();
            assertThat(a.job().attempts()).isZero();
            assertThat(a.job().submittedAt()).isEqualTo(clock.now());
        });
        assertThat(store.jobs().find(draft.jobId())).contains(admissions.get(0).job());
        Lease lock = store.locks().current("db.orders").orElseThrow();
        assertThat(lock.holder()).isEqualTo(draft.jobId().value());
        assertThat(lock.expiresAt()).isEqualTo(clock.now().plus(TTL));
        List<StartedJob> started = store.claimAndStart("w", 5, TTL);
        assertThat(started).extracting(s -> s.job().jobId()).containsExactly(draft.jobId());
    }

    /**
     * {@code queueJobsUnlessDrained} refuses the whole list while drain mode is on in the store, writing nothing (no
     * job, lock or queue row), inside a caller's unit of work too; once drain mode is off it queues like
     * {@code queueJobs}, which never looks at drain mode.
     */
    @Test
    void queueingUnlessDrainedWritesNothingWhileDrainModeIsOn() {
        List<JobDraft> drafts = List.of(TestData.draft("db.orders"), TestData.draft("db.other"));
        store.settings().setDrainMode(true);

        assertThatThrownBy(() -> store.queueJobsUnlessDrained(drafts, TTL)).isInstanceOf(DrainModeException.class);
        assertThatThrownBy(() -> store.queueJobsUnlessDrained(drafts.subList(0, 1), TTL))
                .isInstanceOf(DrainModeException.class);
        assertThatThrownBy(() -> store.inTransaction(stores -> store.queueJobsUnlessDrained(drafts, TTL)))
                .isInstanceOf(DrainModeException.class);
        assertThat(drafts).allSatisfy(draft -> assertThat(store.jobs().find(draft.jobId())).isEmpty());
        assertThat(store.locks().current("db.orders")).isEmpty();
        assertThat(store.locks().current("db.other")).isEmpty();
        assertThat(store.claimAndStart("w", 5, TTL)).isEmpty();

        JobDraft unchecked = TestData.draft("db.third");
        assertThat(store.queueJobs(List.of(unchecked), TTL).get(0).isQueued()).as("queueJobs ignores drain mode")
                .isTrue();
        store.settings().setDrainMode(false);
        assertThat(store.queueJobsUnlessDrained(drafts, TTL)).allSatisfy(a -> assertThat(a.isQueued()).isTrue());
        assertThat(store.queueJobsUnlessDrained(List.of(TestData.draft("db.fourth")), TTL).get(0).isQueued())
                .isTrue();
        assertThat(store.claimAndStart("w", 5, TTL)).hasSize(4);
    }

    @Test
    void aTableWithAnUnfinishedJobIsBusyWithThatJobEvenAfterItsLockExpired() {
        JobDraft first = TestData.draft("db.orders");
        store.queueJobs(List.of(first), TTL);
        advance(TTL.plusMinutes(1)); // the first job's lock expired while it waited: the job still holds the table

        JobDraft second = TestData.draft("db.orders");
        Admission refused = store.queueJobs(List.of(second, TestData.draft("db.other")), TTL).get(0);

        assertThat(refused.isQueued()).isFalse();
        assertThat(refused.job()).isNull();
        assertThat(refused.holder()).isEqualTo(first.jobId().value());
        assertThat(store.jobs().find(second.jobId())).as("nothing of a busy draft is written").isEmpty();
        assertThat(store.queue().entry(second.jobId())).isEmpty();
        assertThat(store.locks().current("db.orders").orElseThrow().holder()).isEqualTo(first.jobId().value());
    }

    @Test
    void aTableWhoseLockAnotherHolderHoldsIsBusyWithThatHolderUntilTheLockExpires() {
        store.locks().tryAcquire("db.orders", "operator-hold", Duration.ofMinutes(10)).orElseThrow();

        JobDraft blocked = TestData.draft("db.orders");
        Admission refused = store.queueJobs(List.of(blocked), TTL).get(0);
        assertThat(store.queueJobs(List.of(TestData.draft("db.orders"), TestData.draft("db.other")), TTL).get(0)
                .holder()).as("alone or in a list").isEqualTo("operator-hold");
        assertThat(refused.isQueued()).isFalse();
        assertThat(refused.holder()).isEqualTo("operator-hold");
        assertThat(store.jobs().find(blocked.jobId())).isEmpty();

        advance(Duration.ofMinutes(11));
        JobDraft later = TestData.draft("db.orders");
        Admission taken = store.queueJobs(List.of(later, TestData.draft("db.third")), TTL).get(0);
        assertThat(taken.isQueued()).as("an expired lock is taken over").isTrue();
        assertThat(store.locks().current("db.orders").orElseThrow().holder()).isEqualTo(later.jobId().value());
    }

    @Test
    void aFinishedJobAndADryRunLeaveTheTableFree() {
        JobDraft done = TestData.draft("db.orders");
        store.queueJobs(List.of(done), TTL);
        StartedJob started = store.claimAndStart("w", 1, TTL).get(0);
        store.inTransaction(stores -> {
            stores.queue().complete(started.claim());
            stores.jobs().transition(done.jobId(), JobStatus.RUNNING, JobTransition.completed());
            stores.locks().release(started.lease());
            return null;
        });
        JobDraft preview = new JobDraft(JobId.random(), TableId.parse("db.orders"),
                List.of(MaintenanceAction.EXPIRE_SNAPSHOTS), true, JobTrigger.MANUAL);
        store.jobs().insert(preview); // a dry run is stored pending, never queued: it holds nothing

        assertThat(store.queueJobs(List.of(TestData.draft("db.orders")), TTL).get(0).isQueued()).isTrue();
    }

    @Test
    void aListIsAnsweredInItsOrderAndTheSecondDraftOfATableIsBusyWithTheFirst() {
        JobDraft holding = TestData.draft("db.busy");
        store.queueJobs(List.of(holding), TTL);
        List<JobDraft> drafts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            drafts.add(TestData.draft("db.t" + i));
        }
        JobDraft busy = TestData.draft("db.busy");
        JobDraft twiceFirst = TestData.draft("db.twice");
        JobDraft twiceSecond = TestData.draft("db.twice");
        JobDraft busyAgain = TestData.draft("db.busy");
        drafts.add(3, busy);
        drafts.add(7, twiceFirst);
        drafts.add(12, twiceSecond);
        drafts.add(busyAgain);

        List<Admission> admissions = store.queueJobs(drafts, TTL);

        assertThat(admissions).extracting(Admission::draft).containsExactlyElementsOf(drafts);
        assertThat(admissions).filteredOn(Admission::isQueued).hasSize(21)
                .allSatisfy(a -> assertThat(a.job().jobId()).isEqualTo(a.draft().jobId()));
        assertThat(admissions.get(3).holder()).isEqualTo(holding.jobId().value());
        assertThat(admissions.get(7).isQueued()).isTrue();
        assertThat(admissions.get(12).isQueued()).isFalse();
        assertThat(admissions.get(12).holder()).isEqualTo(twiceFirst.jobId().value());
        assertThat(admissions.get(drafts.size() - 1).holder()).isEqualTo(holding.jobId().value());
        assertThat(store.jobs().find(twiceSecond.jobId())).isEmpty();
        assertThat(store.claimAndStart("w", 100, TTL)).hasSize(22); // the 21 queued and the one holding db.busy
    }

    @Test
    void queueingJoinsTheCallersUnitOfWorkAndIsUndoneWithIt() {
        JobDraft draft = TestData.draft("db.orders");
        JobDraft other = TestData.draft("db.other");
        assertThatThrownBy(() -> store.inTransaction(stores -> {
            assertThat(store.queueJobs(List.of(draft), TTL).get(0).isQueued()).isTrue();
            assertThat(store.queueJobs(List.of(other, TestData.draft("db.third")), TTL))
                    .allMatch(Admission::isQueued);
            throw new IllegalStateException("the caller changed its mind");
        })).hasMessage("the caller changed its mind");

        assertThat(store.jobs().find(draft.jobId())).isEmpty();
        assertThat(store.queue().entry(draft.jobId())).isEmpty();
        assertThat(store.locks().current("db.orders")).isEmpty();
        assertThat(store.jobs().find(other.jobId())).isEmpty();
        assertThat(store.locks().current("db.other")).isEmpty();
    }

    @Test
    void badListsAreRefusedBeforeAnythingIsWritten() {
        JobDraft good = TestData.draft("db.orders");
        JobDraft preview = new JobDraft(JobId.random(), TableId.parse("db.other"),
                List.of(MaintenanceAction.EXPIRE_SNAPSHOTS), true, JobTrigger.MANUAL);
        assertThatThrownBy(() -> store.queueJobs(List.of(good, preview), TTL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(preview.jobId().value());
        JobDraft twin = new JobDraft(good.jobId(), TableId.parse("db.other"), good.actions(), false, good.trigger());
        assertThatThrownBy(() -> store.queueJobs(List.of(good, twin), TTL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(good.jobId().value());
        assertThatThrownBy(() -> store.queueJobs(List.of(good), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.jobs().find(good.jobId())).isEmpty();
        assertThat(store.locks().current("db.orders")).isEmpty();
        assertThat(store.queueJobs(List.of(), TTL)).isEmpty();
    }
}
