package io.snowpack.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.FenceRevokedException;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.StopRequestedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The protocol between the worker and every {@link MaintenanceExecutor}: a stop request is handed back and a
 * revoked fence stops the work, both as the very signal the checkpoint threw and with nothing committed after it,
 * at any checkpoint, the one right before the commit included; a transient failure (a real concurrent commit) is
 * classified transient and a retry then succeeds; a permanent failure is classified permanent with its message;
 * a preview commits nothing. An executor's test class extends this and supplies a {@link Fixture} over real
 * storage (a real catalog and table: the point is what the executor does to them).
 */
public abstract class MaintenanceExecutorContract {
    /** A fresh table with work for the executor, and the means to observe and disturb it. */
    public interface Fixture extends AutoCloseable {
        MaintenanceExecutor executor();

        /** A request with work to do: at least two checkpoints (units of work, then the commit). */
        ActionRequest request();

        /** Changes whenever anything is committed to the table (e.g. its metadata location). */
        String committedState();

        /** Commits, as another writer, something that makes a rewrite about to commit fail (e.g. a conflicting delete). */
        void conflictingWrite();

        /** A request that must fail permanently. */
        ActionRequest permanentlyFailing();

        /** What the permanent failure's message must contain. */
        String permanentFailureMessage();

        @Override
        void close();
    }

    protected abstract Fixture createFixture();

    private static ActionRequest nextAttempt(ActionRequest request) {
        return new ActionRequest(request.jobId(), request.table(), request.action(), request.attempt() + 1,
                request.fence() + 1);
    }

    /** How many times a clean run calls its checkpoint, on a fixture of its own. */
    private int checkpointsOfACleanRun() {
        try (Fixture fixture = createFixture()) {
            AtomicInteger calls = new AtomicInteger();
            fixture.executor().execute(fixture.request(), calls::incrementAndGet);
            assertThat(calls.get()).as("checkpoints of a run with work to do").isGreaterThanOrEqualTo(2);
            return calls.get();
        }
    }

    /**
     * Throws {@code signal} at the {@code at}-th checkpoint; proves the executor let exactly it through and
     * committed nothing after it.
     */
    private void signalAt(int at, Supplier<RuntimeException> signal) {
        try (Fixture fixture = createFixture()) {
            AtomicInteger calls = new AtomicInteger();
            AtomicReference<String> stateAtSignal = new AtomicReference<>();
            AtomicReference<RuntimeException> thrown = new AtomicReference<>();
            Checkpoint checkpoint = () -> {
                if (calls.incrementAndGet() == at) {
                    stateAtSignal.set(fixture.committedState());
                    thrown.set(signal.get());
                    throw thrown.get();
                }
            };

            assertThatThrownBy(() -> fixture.executor().execute(fixture.request(), checkpoint))
                    .as("the signal thrown at checkpoint %d, unchanged", at)
                    .isSameAs(thrown.get() == null ? new Object() : thrown.get());
            assertThat(fixture.committedState()).as("nothing committed after the signal at checkpoint %d", at)
                    .isEqualTo(stateAtSignal.get());
        }
    }

    @Test
    void aStopRequestAtAnyCheckpointIsLetThroughUnchangedAndNothingIsCommittedAfterIt() {
        int checkpoints = checkpointsOfACleanRun();
        for (int at : new int[] {1, 2, checkpoints}) {
            signalAt(at, () -> new StopRequestedException("job"));
        }
    }

    @Test
    void aRevokedFenceAtAnyCheckpointIsLetThroughUnchangedAndNothingIsCommittedAfterIt() {
        int checkpoints = checkpointsOfACleanRun();
        for (int at : new int[] {1, 2, checkpoints}) {
            signalAt(at, () -> new FenceRevokedException("job", "the claim was revoked"));
        }
    }

    @Test
    void aConcurrentConflictingCommitIsATransientFailureAndARetrySucceeds() {
        int checkpoints = checkpointsOfACleanRun();
        try (Fixture fixture = createFixture()) {
            AtomicInteger calls = new AtomicInteger();
            Checkpoint writerSneaksIn = () -> {
                if (calls.incrementAndGet() == checkpoints) { // right before the commit
                    fixture.conflictingWrite();
                }
            };

            assertThatThrownBy(() -> fixture.executor().execute(fixture.request(), writerSneaksIn))
                    .isInstanceOfSatisfying(ActionFailedException.class,
                            e -> assertThat(e.isTransient()).as(e.getMessage()).isTrue());
            ActionResult retried = fixture.executor().execute(nextAttempt(fixture.request()), Checkpoint.none());
            assertThat(retried.success()).isTrue();
        }
    }

    @Test
    void aPermanentFailureIsClassifiedPermanentWithItsMessage() {
        try (Fixture fixture = createFixture()) {
            String before = fixture.committedState();

            assertThatThrownBy(() -> fixture.executor().execute(fixture.permanentlyFailing(), Checkpoint.none()))
                    .isInstanceOfSatisfying(ActionFailedException.class,
                            e -> assertThat(e.isTransient()).isFalse())
                    .hasMessageContaining(fixture.permanentFailureMessage());
            assertThat(fixture.committedState()).isEqualTo(before);
        }
    }

    @Test
    void aPreviewCommitsNothing() {
        try (Fixture fixture = createFixture()) {
            String before = fixture.committedState();

            ActionResult preview = fixture.executor().preview(fixture.request().table(), fixture.request().action());

            assertThat(preview.success()).isTrue();
            assertThat(fixture.committedState()).isEqualTo(before);
        }
    }

    @Test
    void aRequestOfAnotherJobIsIndependent() {
        try (Fixture fixture = createFixture()) {
            ActionRequest other = new ActionRequest(JobId.random(), fixture.request().table(),
                    fixture.request().action(), 1, 1);

            assertThat(fixture.executor().execute(other, Checkpoint.none()).success()).isTrue();
        }
    }
}
