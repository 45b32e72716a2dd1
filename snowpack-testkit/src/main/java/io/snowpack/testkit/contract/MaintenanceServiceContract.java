package io.snowpack.testkit.contract;

import static io.snowpack.core.model.MaintenanceAction.EXPIRE_SNAPSHOTS;
import static io.snowpack.core.model.MaintenanceAction.REMOVE_ORPHAN_FILES;
import static io.snowpack.core.model.MaintenanceAction.REWRITE_DATA_FILES;
import static io.snowpack.core.model.MaintenanceAction.REWRITE_MANIFESTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.DrainModeException;
import io.snowpack.core.ErrorCode;
import io.snowpack.core.InvalidActionException;
import io.snowpack.core.InvalidRequestException;
import io.snowpack.core.InvalidTableNameException;
import io.snowpack.core.JobAlreadyTerminalException;
import io.snowpack.core.JobNotFoundException;
import io.snowpack.core.MaintenanceConflictException;
import io.snowpack.core.SnowpackException;
import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceRequest;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.service.Submission;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.JobTransition;
import io.snowpack.core.spi.Lease;
import io.snowpack.testkit.Concurrently;
import io.snowpack.testkit.FaultyStore;
import io.snowpack.testkit.FakeTableSource;
import io.snowpack.testkit.ScriptedExecutor;
import io.snowpack.testkit.TestData;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link MaintenanceService} promises on every backend: the submit and cancel rules of the design. */
public abstract class MaintenanceServiceContract extends StoreContractSupport {
    private static final TableId OFFERS = TableId.parse("offer_service.offers");
    private static final TableId ORDERS = TableId.parse("offer_service.orders");

    private ScriptedExecutor executor;
    private MaintenanceService service;

    @BeforeEach
    void createService() {
        executor = new ScriptedExecutor();
        service = service(SnowpackConfig.defaults());
        store.tables().upsert(TestData.health(OFFERS, store.now(), true));
        store.tables().upsert(TestData.health(ORDERS, store.now(), true));
    }

    private MaintenanceService service(SnowpackConfig config) {
        return MaintenanceService.builder().store(store).executor(executor).config(config).build();
    }

    private Job submit(TableId table) {
        return service.submit(table, List.of(EXPIRE_SNAPSHOTS, REWRITE_DATA_FILES), false);
    }

    @Test
    void aBatchQueuesEveryFreeTableAndReportsEachRefusalInItsPlace() {
        TableId clicks = TableId.parse("web.clicks");
        store.tables().upsert(TestData.health(clicks, store.now(), true));
        Job busy = submit(ORDERS);
        List<MaintenanceRequest> requests = List.of(
                MaintenanceRequest.of(OFFERS, List.of(REWRITE_DATA_FILES), false),
                MaintenanceRequest.of(ORDERS, List.of(EXPIRE_SNAPSHOTS), false),
                MaintenanceRequest.of(TableId.parse("offer_service.nowhere"), List.of(EXPIRE_SNAPSHOTS), false),
                MaintenanceRequest.of(clicks, List.of(EXPIRE_SNAPSHOTS), true),
                MaintenanceRequest.of(OFFERS, List.of(EXPIRE_SNAPSHOTS), false),
                new MaintenanceRequest(clicks, List.of(REWRITE_MANIFESTS), false, JobTrigger.ORCHESTRATOR));

        List<Submission> outcomes = service.submitAll(requests);

        assertThat(outcomes).extracting(Submission::request).containsExactlyElementsOf(requests);
        Job offers = outcomes.get(0).job().orElseThrow();
        assertThat(offers.status()).isEqualTo(JobStatus.PENDING);
        assertThat(store.queue().entry(offers.jobId())).isPresent();
        assertThat(store.locks().current(OFFERS.key()).orElseThrow().holder()).isEqualTo(offers.jobId().value());
        assertThat(outcomes.get(1).refusal().orElseThrow()).isInstanceOf(MaintenanceConflictException.class)
                .satisfies(e -> assertThat(((MaintenanceConflictException) e).holder())
                        .isEqualTo(busy.jobId().value()));
        assertThat(outcomes.get(2).refusal().orElseThrow()).isInstanceOf(TableNotFoundException.class)
                .hasMessageContaining("offer_service.nowhere");
        assertThat(outcomes.get(3).job().orElseThrow().dryRun()).isTrue();
        assertThat(outcomes.get(3).job().orElseThrow().isTerminal()).as("a dry run completes at once").isTrue();
        assertThat(outcomes.get(4).refusal().orElseThrow()).as("the batch's own first job holds the table")
                .isInstanceOf(MaintenanceConflictException.class)
                .satisfies(e -> assertThat(((MaintenanceConflictException) e).holder())
                        .isEqualTo(offers.jobId().value()));
        Job orchestrated = outcomes.get(5).job().orElseThrow();
        assertThat(orchestrated.trigger()).isEqualTo(JobTrigger.ORCHESTRATOR);
        assertThat(store.queue().readyDepth()).as("busy's, offers' and clicks' rows").isEqualTo(3);
        assertThat(service.list(JobQuery.all().withTable(OFFERS))).as("no job for a refused request")
                .containsExactly(offers);
    }

    @Test
    void aBatchIsRefusedWholeInDrainModeOrWhenTooBig() {
        service.setDrainMode(true);
        assertThatThrownBy(() -> service.submitAll(List.of(MaintenanceRequest.of(OFFERS, List.of(EXPIRE_SNAPSHOTS),
                false)))).isInstanceOf(DrainModeException.class);
        service.setDrainMode(false);
        List<MaintenanceRequest> tooMany = java.util.Collections.nCopies(MaintenanceService.MAX_BATCH + 1,
                MaintenanceRequest.of(OFFERS, List.of(EXPIRE_SNAPSHOTS), false));
        assertThatThrownBy(() -> service.submitAll(tooMany)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(String.valueOf(MaintenanceService.MAX_BATCH + 1));
        assertThat(service.submitAll(List.of())).isEmpty();
        assertThat(store.queue().readyDepth()).isZero();
        assertThat(store.locks().current(OFFERS.key())).isEmpty();
    }

    @Test
    void aBatchTheBackendFailsHalfwayLeavesNothingBehind() {
        FaultyStore database = new FaultyStore(store);
        MaintenanceService failing = MaintenanceService.builder().store(database).executor(executor).build();
        failing.submit(ORDERS, List.of(EXPIRE_SNAPSHOTS), false); // warms the table cache reads
        database.failNext("enqueue", 1);

        assertThatThrownBy(() -> failing.submitAll(List.of(
                MaintenanceRequest.of(OFFERS, List.of(EXPIRE_SNAPSHOTS), false),
                MaintenanceRequest.of(TableId.parse("offer_service.orders"), List.of(EXPIRE_SNAPSHOTS), false))))
                .isInstanceOf(io.snowpack.core.BackendException.class);

        assertThat(service.list(JobQuery.all().withTable(OFFERS))).isEmpty();
        assertThat(store.locks().current(OFFERS.key())).isEmpty();
        assertThat(store.queue().readyDepth()).as("only the job submitted before the batch").isEqualTo(1);
    }

    @Test
    void withATableSourceATableNotCachedYetIsReadOnceAndCachedAndAnUnknownOneIsStillRefused() {
        TableId fresh = TableId.parse("offer_service.fresh");
        TableId broken = TableId.parse("offer_service.broken");
        FakeTableSource source = new FakeTableSource(store::now).withTable(TestData.health(fresh, store.now(), true))
                .withTable(TestData.health(broken, store.now(), true));
        source.failTable(broken);
        MaintenanceService withSource = MaintenanceService.builder().store(store).executor(executor)
                .tableSource(source).build();

        assertThat(withSource.plan(fresh).reasons()).isNotEmpty();
        assertThat(store.tables().get(fresh)).as("cached by the first look-up").isPresent();
        Job job = withSource.submit(fresh, List.of(EXPIRE_SNAPSHOTS), false);
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);

        assertThatThrownBy(() -> withSource.submit(TableId.parse("offer_service.nowhere"), List.of(EXPIRE_SNAPSHOTS),
                false)).isInstanceOf(TableNotFoundException.class).hasMessageContaining("offer_service.nowhere");
        assertThatThrownBy(() -> withSource.submit(broken, List.of(EXPIRE_SNAPSHOTS), false))
                .isInstanceOf(TableNotFoundException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).as("the catalog's failure is kept").isNotEmpty());
        assertThat(store.tables().get(broken)).isEmpty();
        assertThatThrownBy(() -> service.submit(TableId.parse("offer_service.fresh2"), List.of(EXPIRE_SNAPSHOTS),
                false)).as("without a source only cached tables are known").isInstanceOf(TableNotFoundException.class);
    }

    @Test
    void awaitTerminalReturnsTheJobOnceItEndsOrAsItIsAtTheDeadline() {
        Job job = submit(OFFERS);
        assertThat(service.awaitTerminal(job.jobId(), Duration.ofMillis(120)).status()).isEqualTo(JobStatus.PENDING);
        service.cancel(job.jobId());
        assertThat(service.awaitTerminal(job.jobId(), Duration.ofSeconds(30)).status())
                .isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void submitStoresAPendingJobTakesTheLockAndQueuesIt() {
        Job job = service.submit(MaintenanceRequest.parse("offer_service", "offers",
                List.of("remove_orphan_files", "rewrite_data_files", "expire_snapshots", "rewrite_data_files"), false));

        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.actions()).containsExactly(REWRITE_DATA_FILES, EXPIRE_SNAPSHOTS, REMOVE_ORPHAN_FILES);
        assertThat(job.trigger()).isEqualTo(JobTrigger.MANUAL);
        assertThat(job.submittedAt()).isEqualTo(store.now());
        assertThat(job.results()).isEmpty();
        assertThat(service.get(job.jobId())).isEqualTo(job);
        assertThat(store.locks().current(OFFERS.key()).orElseThrow().holder()).isEqualTo(job.jobId().value());
        assertThat(store.queue().entry(job.jobId()).orElseThrow().isClaimed()).isFalse();
        assertThat(store.queue().readyDepth()).isEqualTo(1);
        assertThat(executor.calls()).isEmpty();
    }

    @Test
    void anInvalidNameIsReportedBeforeInvalidActions() {
        assertThatThrownBy(() -> MaintenanceRequest.parse("Offer-Service", "offers", List.of(), false))
                .isInstanceOf(InvalidTableNameException.class)
                .hasMessageContaining("Offer-Service")
                .satisfies(e -> assertThat(((SnowpackException) e).code().httpStatus()).isEqualTo(422));
        assertThatThrownBy(() -> MaintenanceRequest.parse("offer_service", "../etc", List.of("bogus"), false))
                .isInstanceOf(InvalidTableNameException.class);
    }

    @Test
    void emptyOrUnknownActionsAreRejectedWithTheValidOnesNamed() {
        assertThatThrownBy(() -> MaintenanceRequest.parse("offer_service", "offers", List.of(), false))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((SnowpackException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        assertThatThrownBy(() -> MaintenanceRequest.parse("offer_service", "offers", List.of("compact"), false))
                .isInstanceOf(InvalidActionException.class)
                .hasMessageContaining("'compact'")
                .hasMessageContaining("rewrite_data_files, rewrite_position_delete_files, expire_snapshots, "
                        + "rewrite_manifests, remove_orphan_files");
        assertThat(store.jobs().list(JobQuery.all())).isEmpty();
    }

    @Test
    void drainModeIsCheckedBeforeTheTableCacheAndRefusesEverySubmit() {
        service.setDrainMode(true);

        assertThatThrownBy(() -> service.submit(TableId.parse("nowhere.nothing"), List.of(EXPIRE_SNAPSHOTS), false))
                .isInstanceOf(DrainModeException.class)
                .satisfies(e -> assertThat(((SnowpackException) e).code().httpStatus()).isEqualTo(503));
        assertThatThrownBy(() -> submit(OFFERS)).isInstanceOf(DrainModeException.class);
        assertThatThrownBy(() -> service.submit(OFFERS, List.of(EXPIRE_SNAPSHOTS), true))
                .isInstanceOf(DrainModeException.class);
        assertThat(store.jobs().list(JobQuery.all())).isEmpty();
        assertThat(store.locks().current(OFFERS.key())).isEmpty();

        service.setDrainMode(false);
        assertThat(submit(OFFERS).status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void drainModeIsSharedByEveryServiceOnTheStoreAndCanBeForcedByConfiguration() {
        MaintenanceService other = service(SnowpackConfig.defaults());
        service.setDrainMode(true);
        assertThat(other.drainMode()).isTrue();
        service.setDrainMode(false);
        assertThat(other.drainMode()).isFalse();

        MaintenanceService forced = service(SnowpackConfig.defaults().toBuilder().drainMode(true).build());
        assertThat(forced.drainMode()).isTrue();
        assertThatThrownBy(() -> forced.submit(OFFERS, List.of(EXPIRE_SNAPSHOTS), false))
                .isInstanceOf(DrainModeException.class);
        assertThat(service.drainMode()).isFalse();
    }

    @Test
    void aTableMissingFromTheCacheIsNotFound() {
        assertThatThrownBy(() -> submit(TableId.parse("offer_service.unknown")))
                .isInstanceOf(TableNotFoundException.class)
                .hasMessageContaining("offer_service.unknown")
                .satisfies(e -> assertThat(((SnowpackException) e).code().httpStatus()).isEqualTo(404));
        assertThat(store.jobs().list(JobQuery.all())).isEmpty();
    }

    @Test
    void aJobWaitingLongerThanItsLockStillHoldsItsTable() {
        Job waiting = submit(OFFERS);
        advance(SnowpackConfig.defaults().lockTtl().plusMinutes(1));
        assertThat(store.locks().current(OFFERS.key())).as("the lease has expired")
                .hasValueSatisfying(lease -> assertThat(lease.isExpiredAt(store.now())).isTrue());

        assertThatThrownBy(() -> service.submit(OFFERS, List.of(REWRITE_MANIFESTS), false))
                .isInstanceOfSatisfying(MaintenanceConflictException.class,
                        e -> assertThat(e.holder()).isEqualTo(waiting.jobId().value()));

        assertThat(store.jobs().list(JobQuery.all())).containsExactly(waiting);
        assertThat(store.locks().current(OFFERS.key())).as("the refused submit took no lock")
                .hasValueSatisfying(lease -> assertThat(lease.holder()).isEqualTo(waiting.jobId().value()));
    }

    @Test
    void aSecondJobForTheSameTableConflictsAndWritesNothing() {
        Job first = submit(OFFERS);

        assertThatThrownBy(() -> service.submit(OFFERS, List.of(REWRITE_MANIFESTS), false))
                .isInstanceOf(MaintenanceConflictException.class)
                .hasMessage("Maintenance already in progress for offer_service.offers")
                .satisfies(e -> {
                    assertThat(((MaintenanceConflictException) e).holder()).isEqualTo(first.jobId().value());
                    assertThat(((SnowpackException) e).code().httpStatus()).isEqualTo(409);
                });

        assertThat(store.jobs().list(JobQuery.all())).containsExactly(first);
        assertThat(store.queue().readyDepth()).isEqualTo(1);
        assertThat(submit(ORDERS).status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void concurrentSubmitsForOneTableLetExactlyOneThrough() throws Exception {
        List<Boolean> accepted = Concurrently.run(16, i -> () -> {
            try {
                submit(OFFERS);
                return true;
            } catch (MaintenanceConflictException conflict) {
                return false;
            }
        });

        assertThat(accepted).containsOnlyOnce(true);
        assertThat(store.jobs().list(JobQuery.all())).hasSize(1);
        assertThat(store.queue().readyDepth()).isEqualTo(1);
    }

    @Test
    void aDryRunCompletesAtOnceWithAPreviewPerActionAndTakesNoLock() {
        Job real = submit(OFFERS);

        Job dry = service.submit(OFFERS, List.of(REMOVE_ORPHAN_FILES, REWRITE_DATA_FILES), true);

        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(dry.startedAt()).isNotNull();
        assertThat(dry.completedAt()).isNotNull();
        assertThat(dry.results()).extracting(ActionResult::action)
                .containsExactly(REWRITE_DATA_FILES, REMOVE_ORPHAN_FILES);
        assertThat(dry.results()).allSatisfy(result -> {
            assertThat(result.success()).isTrue();
            assertThat(result.message()).startsWith("dry run: would ");
            assertThat(result.metrics()).containsEntry("files_to_rewrite", 42L);
        });
        assertThat(executor.calls()).containsExactly(
                "preview rewrite_data_files offer_service.offers", "preview remove_orphan_files offer_service.offers");
        assertThat(store.queue().entry(dry.jobId())).isEmpty();
        assertThat(store.locks().current(OFFERS.key()).orElseThrow().holder()).isEqualTo(real.jobId().value());
        assertThat(service.get(dry.jobId())).isEqualTo(dry);
    }

    @Test
    void aDryRunWithoutAnExecutorSaysNothingWasPreviewed() {
        MaintenanceService bare = MaintenanceService.builder().store(store).build();

        Job dry = bare.submit(OFFERS, List.of(EXPIRE_SNAPSHOTS), true);

        assertThat(dry.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(dry.results()).singleElement().satisfies(result -> {
            assertThat(result.success()).isTrue();
            assertThat(result.message()).contains("dry run").contains("no executor");
        });
    }

    @Test
    void aDryRunWhosePreviewFailsIsFailedWithTheCause() {
        executor.failing(EXPIRE_SNAPSHOTS);

        Job dry = service.submit(OFFERS, List.of(REWRITE_DATA_FILES, EXPIRE_SNAPSHOTS), true);

        assertThat(dry.status()).isEqualTo(JobStatus.FAILED);
        assertThat(dry.error()).contains("expire_snapshots").contains("cannot read offer_service.offers");
        assertThat(dry.results()).extracting(ActionResult::success).containsExactly(true, false);
    }

    @Test
    void cancellingAPendingJobRemovesItsQueueRowAndReleasesItsLock() {
        Job job = submit(OFFERS);
        advance(Duration.ofSeconds(3));

        Job cancelled = service.cancel(job.jobId());

        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.completedAt()).isEqualTo(store.now());
        assertThat(store.queue().entry(job.jobId())).isEmpty();
        assertThat(store.locks().current(OFFERS.key())).isEmpty();
        assertThat(submit(OFFERS).status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void cancellingARunningJobRevokesTheWorkersFenceAndKeepsTheTableLockedUntilTheWorkerConfirms() {
        Job job = submit(OFFERS);
        Claim claim = store.queue().claim("worker-1", 1).get(0);
        store.jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.running(claim.attempts()));

        Job cancelled = service.cancel(job.jobId());

        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.stopConfirmedAt()).isNull();
        assertThat(store.queue().heartbeat(claim)).isFalse();
        assertThat(store.queue().complete(claim)).isFalse();
        assertThat(store.jobs().transition(job.jobId(), JobStatus.RUNNING, JobTransition.completed())).isFalse();
        assertThat(service.get(job.jobId()).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(store.locks().current(OFFERS.key())).as("a commit of the revoked attempt may still land")
                .hasValueSatisfying(lease -> assertThat(lease.holder()).isEqualTo(job.jobId().value()));
        assertThatThrownBy(() -> submit(OFFERS)).isInstanceOf(MaintenanceConflictException.class);

        assertThat(store.jobs().confirmStop(job.jobId())).isTrue();
        assertThat(service.get(job.jobId()).stopConfirmedAt()).isEqualTo(store.now());
        assertThat(store.jobs().confirmStop(job.jobId())).as("once").isFalse();
    }

    @Test
    void cancelLeavesALockTakenOverByAnotherJobAlone() {
        Job job = submit(OFFERS);
        advance(SnowpackConfig.defaults().lockTtl());
        Lease other = store.locks().tryAcquire(OFFERS.key(), "someone-else", Duration.ofHours(1)).orElseThrow();

        service.cancel(job.jobId());

        assertThat(store.locks().current(OFFERS.key())).contains(other);
    }

    @Test
    void aTerminalJobCannotBeCancelledAndAnUnknownOneIsNotFound() {
        Job dry = service.submit(OFFERS, List.of(EXPIRE_SNAPSHOTS), true);
        Job job = submit(OFFERS);
        service.cancel(job.jobId());

        assertThatThrownBy(() -> service.cancel(dry.jobId()))
                .isInstanceOf(JobAlreadyTerminalException.class)
                .hasMessageContaining("completed")
                .satisfies(e -> assertThat(((SnowpackException) e).code().httpStatus()).isEqualTo(409));
        assertThatThrownBy(() -> service.cancel(job.jobId())).isInstanceOf(JobAlreadyTerminalException.class);
        JobId unknown = JobId.random();
        assertThatThrownBy(() -> service.cancel(unknown))
                .isInstanceOf(JobNotFoundException.class)
                .hasMessageContaining(unknown.value());
        assertThatThrownBy(() -> service.get(unknown)).isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void listReturnsJobsNewestFirstWithFilters() {
        Job first = submit(OFFERS);
        advance(Duration.ofSeconds(1));
        Job second = submit(ORDERS);
        advance(Duration.ofSeconds(1));
        service.cancel(first.jobId());
        Job third = submit(OFFERS);

        assertThat(service.list(JobQuery.all())).extracting(Job::jobId)
                .containsExactly(third.jobId(), second.jobId(), first.jobId());
        assertThat(service.list(JobQuery.all().withStatus(JobStatus.CANCELLED))).extracting(Job::jobId)
                .containsExactly(first.jobId());
        assertThat(service.list(JobQuery.all().withTable(OFFERS).withLimit(1))).extracting(Job::jobId)
                .containsExactly(third.jobId());
    }
}
