package io.snowpack.testkit.contract;

import static io.snowpack.core.model.MaintenanceAction.EXPIRE_SNAPSHOTS;
import static io.snowpack.core.model.MaintenanceAction.REMOVE_ORPHAN_FILES;
import static io.snowpack.core.model.MaintenanceAction.REWRITE_DATA_FILES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.IllegalJobTransitionException;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.JobDraft;
import io.snowpack.core.spi.JobStore;
import io.snowpack.core.spi.JobTransition;
import io.snowpack.testkit.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link JobStore} promises. */
public abstract class JobStoreContract extends StoreContractSupport {
    private static final TableId OFFERS = TableId.parse("offer_service.offers");
    private static final TableId CLICKS = TableId.parse("web.clicks");

    private JobStore jobs() {
        return store.jobs();
    }

    private Job insert(TableId table) {
        return jobs().insert(TestData.draft(table, REWRITE_DATA_FILES, EXPIRE_SNAPSHOTS));
    }

    @Test
    void insertStoresAPendingJobSubmittedNow() {
        JobDraft draft = new JobDraft(JobId.random(), OFFERS,
                List.of(REMOVE_ORPHAN_FILES, REWRITE_DATA_FILES, REWRITE_DATA_FILES), false, JobTrigger.ORCHESTRATOR);

        Job job = jobs().insert(draft);

        assertThat(job.jobId()).isEqualTo(draft.jobId());
        assertThat(job.table()).isEqualTo(OFFERS);
        assertThat(job.actions()).containsExactly(REWRITE_DATA_FILES, REMOVE_ORPHAN_FILES);
        assertThat(job.dryRun()).isFalse();
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.submittedAt()).isEqualTo(store.now());
        assertThat(job.startedAt()).isNull();
        assertThat(job.completedAt()).isNull();
        assertThat(job.results()).isEmpty();
        assertThat(job.error()).isNull();
        assertThat(job.attempts()).isZero();
        assertThat(job.trigger()).isEqualTo(JobTrigger.ORCHESTRATOR);
        assertThat(jobs().find(job.jobId())).contains(job);
    }

    @Test
    void lastCompletionIsTheNewestCompletedRealJobOfTheTable() {
        assertThat(jobs().lastCompletion(OFFERS)).isEmpty();
        Job older = insert(OFFERS);
        run(older, JobTransition.completed());
        Instant olderAt = clock.now();
        advance(Duration.ofMinutes(10));
        Job failed = insert(OFFERS);
        run(failed, JobTransition.failed("boom"));
        JobDraft preview = new JobDraft(JobId.random(), OFFERS, List.of(REWRITE_DATA_FILES), true, JobTrigger.MANUAL);
        jobs().insert(preview);
        run(jobs().find(preview.jobId()).orElseThrow(), JobTransition.completed());
        Job elsewhere = insert(CLICKS);
        run(elsewhere, JobTransition.completed());

        assertThat(jobs().lastCompletion(OFFERS)).as("failed jobs, dry runs and other tables do not count")
                .contains(olderAt);

        advance(Duration.ofMinutes(10));
        Job newer = insert(OFFERS);
        run(newer, JobTransition.completed());
        assertThat(jobs().lastCompletion(OFFERS)).contains(clock.now());
    }

    @Test
    void theUnfinishedJobOfATableIsItsPendingOrRunningRealJob() {
        assertThat(jobs().unfinishedJob(OFFERS)).isEmpty();
        JobDraft preview = new JobDraft(JobId.random(), OFFERS, List.of(REWRITE_DATA_FILES), true, JobTrigger.MANUAL);
        jobs().insert(preview);
        Job done = insert(OFFERS);
        run(done, JobTransition.completed());
        insert(CLICKS);
        assertThat(jobs().unfinishedJob(OFFERS)).as("dry runs, finished jobs, other tables").isEmpty();

        Job pending = insert(OFFERS);
        assertThat(jobs().unfinishedJob(OFFERS)).contains(pending.jobId());
        jobs().transition(pending.jobId(), JobStatus.PENDING, JobTransition.running(1));
        assertThat(jobs().unfinishedJob(OFFERS)).contains(pending.jobId());
        jobs().transition(pending.jobId(), JobStatus.RUNNING, JobTransition.cancelled());
        assertThat(jobs().unfinishedJob(OFFERS)).isEmpty();
    }

    /** Runs {@code job} (pending) to {@code end}. */
    private void run(Job job, JobTransition end) {
        assertThat(jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.running(1))).isTrue();
        assertThat(jobs().transition(job.jobId(), JobStatus.RUNNING, end)).isTrue();
    }

    @Test
    void aJobIdIsStoredOnlyOnce() {
        JobDraft draft = TestData.draft(OFFERS, REWRITE_DATA_FILES);
        jobs().insert(draft);
        assertThatThrownBy(() -> jobs().insert(draft)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnknownJobIsNotFound() {
        assertThat(jobs().find(JobId.random())).isEmpty();
        assertThat(jobs().transition(JobId.random(), JobStatus.PENDING, JobTransition.running(1))).isFalse();
        assertThat(jobs().addResult(JobId.random(), ActionResult.succeeded(REWRITE_DATA_FILES, "ok", 1, null)))
                .isFalse();
    }

    @Test
    void transitionsAreCompareAndSetOnTheExpectedStatus() {
        Job job = insert(OFFERS);
        advance(Duration.ofSeconds(5));

        assertThat(jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.running(1))).isTrue();
        assertThat(jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.running(2))).isFalse();

        Job running = jobs().find(job.jobId()).orElseThrow();
        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.startedAt()).isEqualTo(store.now());
        assertThat(running.attempts()).isEqualTo(1);
    }

    @Test
    void illegalTransitionsAreRejectedBeforeAnythingIsRead() {
        Job job = insert(OFFERS);
        assertThatThrownBy(() -> jobs().transition(job.jobId(), JobStatus.COMPLETED, JobTransition.running(1)))
                .isInstanceOf(IllegalJobTransitionException.class);
        assertThatThrownBy(() -> jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.completed()))
                .isInstanceOf(IllegalJobTransitionException.class);
        assertThatThrownBy(() -> jobs().transition(JobId.random(), JobStatus.CANCELLED, JobTransition.retry("x")))
                .isInstanceOf(IllegalJobTransitionException.class);
        assertThat(jobs().find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void aCancelledJobIsNeverOverwrittenByALateWorker() {
        Job job = insert(OFFERS);
        jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.running(1));
        assertThat(jobs().transition(job.jobId(), JobStatus.RUNNING, JobTransition.cancelled())).isTrue();

        assertThat(jobs().transition(job.jobId(), JobStatus.RUNNING, JobTransition.completed())).isFalse();
        assertThat(jobs().transition(job.jobId(), JobStatus.RUNNING, JobTransition.failed("boom"))).isFalse();
        assertThat(jobs().addResult(job.jobId(), ActionResult.succeeded(REWRITE_DATA_FILES, "late", 1, null)))
                .isFalse();

        Job cancelled = jobs().find(job.jobId()).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.results()).isEmpty();
        assertThat(cancelled.completedAt()).isNotNull();
    }

    @Test
    void terminalTransitionsStampCompletionAndFailuresKeepTheirError() {
        Job ok = insert(OFFERS);
        Job bad = insert(CLICKS);
        jobs().transition(ok.jobId(), JobStatus.PENDING, JobTransition.running(1));
        jobs().transition(bad.jobId(), JobStatus.PENDING, JobTransition.running(1));
        advance(Duration.ofMinutes(3));

        jobs().transition(ok.jobId(), JobStatus.RUNNING, JobTransition.completed());
        jobs().transition(bad.jobId(), JobStatus.RUNNING, JobTransition.failed("Commit conflict on offers"));

        Job completed = jobs().find(ok.jobId()).orElseThrow();
        Job failed = jobs().find(bad.jobId()).orElseThrow();
        assertThat(completed.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(completed.completedAt()).isEqualTo(store.now());
        assertThat(completed.error()).isNull();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isEqualTo("Commit conflict on offers");
        assertThat(failed.completedAt()).isEqualTo(store.now());
    }

    @Test
    void aPendingJobCanBeFailedWhenItsStateIsInconsistent() {
        Job job = insert(OFFERS);
        assertThat(jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.failed("no queue row"))).isTrue();
        assertThat(jobs().find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void aRetryGoesBackToPendingWithTheErrorAndKeepsTheFirstStartTime() {
        Job job = insert(OFFERS);
        jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.running(1));
        Instant firstStart = store.now();
        advance(Duration.ofMinutes(1));

        assertThat(jobs().transition(job.jobId(), JobStatus.RUNNING, JobTransition.retry("timeout"))).isTrue();
        Job pending = jobs().find(job.jobId()).orElseThrow();
        assertThat(pending.status()).isEqualTo(JobStatus.PENDING);
        assertThat(pending.error()).isEqualTo("timeout");
        assertThat(pending.completedAt()).isNull();

        advance(Duration.ofMinutes(1));
        jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.running(2));
        Job again = jobs().find(job.jobId()).orElseThrow();
        assertThat(again.startedAt()).isEqualTo(firstStart);
        assertThat(again.attempts()).isEqualTo(2);
    }

    @Test
    void resultsAreAppendedInOrderWithTheirMetrics() {
        Job job = insert(OFFERS);
        jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.running(1));
        ActionResult compaction = ActionResult.succeeded(REWRITE_DATA_FILES, "Compacted 847 files into 52 files",
                124.8, Map.of("files_read", 847L, "files_written", 52L, "bytes_read", 2_664_000_000L));
        ActionResult expiry = ActionResult.failed(EXPIRE_SNAPSHOTS, "gc.enabled is false", 3.25, Map.of());

        assertThat(jobs().addResult(job.jobId(), compaction)).isTrue();
        assertThat(jobs().addResult(job.jobId(), expiry)).isTrue();

        assertThat(jobs().find(job.jobId()).orElseThrow().results()).containsExactly(compaction, expiry);
    }

    @Test
    void listIsNewestFirstFilteredAndLimited() {
        List<Job> inserted = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            inserted.add(insert(i % 2 == 0 ? OFFERS : CLICKS));
            advance(Duration.ofSeconds(1));
        }
        jobs().transition(inserted.get(4).jobId(), JobStatus.PENDING, JobTransition.cancelled());

        assertThat(jobs().list(JobQuery.all())).extracting(Job::jobId).containsExactly(
                inserted.get(5).jobId(), inserted.get(4).jobId(), inserted.get(3).jobId(),
                inserted.get(2).jobId(), inserted.get(1).jobId(), inserted.get(0).jobId());
        assertThat(jobs().list(JobQuery.all().withTable(OFFERS))).extracting(Job::jobId).containsExactly(
                inserted.get(4).jobId(), inserted.get(2).jobId(), inserted.get(0).jobId());
        assertThat(jobs().list(JobQuery.all().withTable(OFFERS).withStatus(JobStatus.PENDING)))
                .extracting(Job::jobId).containsExactly(inserted.get(2).jobId(), inserted.get(0).jobId());
        assertThat(jobs().list(JobQuery.all().withStatus(JobStatus.CANCELLED)))
                .extracting(Job::jobId).containsExactly(inserted.get(4).jobId());
        assertThat(jobs().list(JobQuery.all().withLimit(2))).extracting(Job::jobId)
                .containsExactly(inserted.get(5).jobId(), inserted.get(4).jobId());
    }

    @Test
    void pruneDeletesOnlyTerminalJobsOlderThanTheRetention() {
        Job oldDone = insert(OFFERS);
        Job oldPending = insert(CLICKS);
        jobs().transition(oldDone.jobId(), JobStatus.PENDING, JobTransition.running(1));
        jobs().addResult(oldDone.jobId(), ActionResult.succeeded(REWRITE_DATA_FILES, "ok", 1, null));
        jobs().transition(oldDone.jobId(), JobStatus.RUNNING, JobTransition.completed());
        advance(Duration.ofDays(91));
        Job recentDone = insert(OFFERS);
        jobs().transition(recentDone.jobId(), JobStatus.PENDING, JobTransition.cancelled());

        assertThat(jobs().pruneTerminal(Duration.ofDays(90))).isEqualTo(1);

        assertThat(jobs().find(oldDone.jobId())).isEmpty();
        assertThat(jobs().find(oldPending.jobId())).isPresent();
        assertThat(jobs().find(recentDone.jobId())).isPresent();
        assertThat(jobs().pruneTerminal(Duration.ofDays(90))).isZero();
    }

    @Test
    void aLateResultIsRecordedEvenOnATerminalJobAndLeavesItsStatusAlone() {
        Job job = insert(OFFERS);
        jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.cancelled());
        ActionResult late = ActionResult.succeeded(REWRITE_DATA_FILES, "After the fence was revoked: committed", 1,
                null);

        assertThat(jobs().addResult(job.jobId(), late)).as("an ordinary result").isFalse();
        assertThat(jobs().addLateResult(job.jobId(), late)).isTrue();
        assertThat(jobs().addLateResult(JobId.random(), late)).isFalse();

        Job after = jobs().find(job.jobId()).orElseThrow();
        assertThat(after.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(after.results()).containsExactly(late);
    }

    @Test
    void aStopIsConfirmedOnceAndOnlyForACancelledJob() {
        Job running = insert(OFFERS);
        jobs().transition(running.jobId(), JobStatus.PENDING, JobTransition.running(1));
        assertThat(jobs().confirmStop(running.jobId())).as("not cancelled").isFalse();
        jobs().transition(running.jobId(), JobStatus.RUNNING, JobTransition.cancelled());

        assertThat(jobs().confirmStop(running.jobId())).isTrue();
        assertThat(jobs().confirmStop(running.jobId())).isFalse();
        assertThat(jobs().confirmStop(JobId.random())).isFalse();
        assertThat(jobs().find(running.jobId()).orElseThrow().stopConfirmedAt()).isEqualTo(store.now());
    }
}
