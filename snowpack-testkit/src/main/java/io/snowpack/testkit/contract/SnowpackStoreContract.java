package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.JobDraft;
import io.snowpack.core.spi.JobTransition;
import io.snowpack.core.spi.Lease;
import io.snowpack.testkit.TestData;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What every backend promises about units of work that span several stores. */
public abstract class SnowpackStoreContract extends StoreContractSupport {
    private static final TableId OFFERS = TableId.parse("offer_service.offers");
    private static final Duration TTL = Duration.ofHours(1);

    /** Thrown from inside a unit of work to simulate a crash between its steps. */
    static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    @Test
    void aUnitOfWorkCommitsAllItsWritesAndReturnsItsResult() {
        JobDraft draft = TestData.draft(OFFERS.key());

        JobId id = store.inTransaction(stores -> {
            stores.locks().tryAcquire(OFFERS.key(), draft.jobId().value(), TTL).orElseThrow();
            stores.jobs().insert(draft);
            stores.queue().enqueue(draft.jobId(), Duration.ZERO);
            return draft.jobId();
        });

        assertThat(id).isEqualTo(draft.jobId());
        assertThat(store.jobs().find(id)).isPresent();
        assertThat(store.queue().entry(id)).isPresent();
        assertThat(store.locks().current(OFFERS.key()).orElseThrow().holder()).isEqualTo(id.value());
    }

    @Test
    void aCrashInTheMiddleOfASubmitLeavesNoLockNoJobAndNoQueueRow() {
        JobDraft draft = TestData.draft(OFFERS.key());

        assertThatThrownBy(() -> store.inTransaction(stores -> {
            stores.locks().tryAcquire(OFFERS.key(), draft.jobId().value(), TTL).orElseThrow();
            stores.jobs().insert(draft);
            stores.queue().enqueue(draft.jobId(), Duration.ZERO);
            throw new Crash();
        })).isInstanceOf(Crash.class);

        assertThat(store.jobs().find(draft.jobId())).isEmpty();
        assertThat(store.queue().entry(draft.jobId())).isEmpty();
        assertThat(store.locks().current(OFFERS.key())).isEmpty();
        assertThat(store.queue().readyDepth()).isZero();
    }

    @Test
    void aCrashInTheMiddleOfACompletionLeavesTheJobRunningAndItsClaimHeld() {
        JobDraft draft = TestData.draft(OFFERS.key());
        Lease lease = store.locks().tryAcquire(OFFERS.key(), draft.jobId().value(), TTL).orElseThrow();
        store.jobs().insert(draft);
        store.queue().enqueue(draft.jobId(), Duration.ZERO);
        Claim claim = store.queue().claim("w", 1).get(0);
        store.jobs().transition(draft.jobId(), JobStatus.PENDING, JobTransition.running(claim.attempts()));

        assertThatThrownBy(() -> store.inTransaction(stores -> {
            stores.jobs().transition(draft.jobId(), JobStatus.RUNNING, JobTransition.completed());
            stores.queue().complete(claim);
            stores.locks().release(lease);
            stores.tables().markSynced();
            stores.settings().setDrainMode(true);
            throw new Crash();
        })).isInstanceOf(Crash.class);

        assertThat(store.jobs().find(draft.jobId()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(store.jobs().find(draft.jobId()).orElseThrow().completedAt()).isNull();
        assertThat(store.queue().heartbeat(claim)).isTrue();
        assertThat(store.locks().current(OFFERS.key())).contains(lease);
        assertThat(store.tables().status().lastSynced()).isEmpty();
        assertThat(store.settings().drainMode()).isFalse();
    }

    @Test
    void aCrashAfterClaimsAndRetriesUndoesThem() {
        JobId first = JobId.random();
        JobId second = JobId.random();
        store.queue().enqueue(first, Duration.ZERO);
        store.queue().enqueue(second, Duration.ZERO);
        Claim held = store.queue().claim("w", 1).get(0);

        assertThatThrownBy(() -> store.inTransaction(stores -> {
            stores.queue().claim("w2", 5);
            stores.queue().retry(held, Duration.ofHours(1));
            stores.queue().remove(second);
            throw new Crash();
        })).isInstanceOf(Crash.class);

        assertThat(store.queue().heartbeat(held)).isTrue();
        assertThat(store.queue().readyDepth()).isEqualTo(1);
        assertThat(store.queue().claim("w3", 5)).extracting(Claim::jobId).containsExactly(second);
    }

    @Test
    void aNestedUnitOfWorkJoinsTheOuterOne() {
        JobDraft draft = TestData.draft(OFFERS.key());

        assertThatThrownBy(() -> store.inTransaction(outer -> {
            store.inTransaction(inner -> inner.jobs().insert(draft));
            throw new Crash();
        })).isInstanceOf(Crash.class);

        assertThat(store.jobs().find(draft.jobId())).isEmpty();
    }
}
