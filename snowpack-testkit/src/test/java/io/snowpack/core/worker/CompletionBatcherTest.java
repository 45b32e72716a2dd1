package io.snowpack.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.BackendException;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.schedule.Threads;
import io.snowpack.core.spi.Completion;
import io.snowpack.core.spi.JobDraft;
import io.snowpack.core.spi.JobQueue;
import io.snowpack.core.spi.JobStore;
import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.LockManager;
import io.snowpack.core.spi.OrchestratorRunLog;
import io.snowpack.core.spi.SettingsStore;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.StartedJob;
import io.snowpack.core.spi.TableCache;
import io.snowpack.core.spi.TransactionWork;
import io.snowpack.testkit.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on the batcher's own thread: a completion handed in alone is written at once; those handed in while a
 * settle is in flight go together in the next one; each learns its own answer, in the order handed in; a failed batch
 * fails each of its completions and the next batch goes on; close writes what was handed in and refuses more.
 */
class CompletionBatcherTest {
    private final SnowpackStore memory = InMemoryStore.create();
    private final Recording store = new Recording(memory);
    private final CompletionBatcher batcher = new CompletionBatcher(store, 100, Threads.daemon("test-complete"));

    @AfterEach
    void close() throws InterruptedException {
        store.release.release(100);
        batcher.close(Duration.ofSeconds(10));
    }

    /** Submits, claims and starts a job of its own table, as a worker holds it. */
    private Completion claimed() {
        JobDraft draft = TestData.draft("db.t" + JobId.random().value());
        memory.inTransaction(stores -> {
            stores.locks().tryAcquire(draft.table().key(), draft.jobId().value(), Duration.ofHours(1)).orElseThrow();
            stores.jobs().insert(draft);
            stores.queue().enqueue(draft.jobId(), Duration.ZERO);
            return null;
        });
        StartedJob started = memory.claimAndStart("w", 1, Duration.ofHours(1)).get(0);
        return new Completion(started.claim(), started.lease(), List.of());
    }

    /** The answer a callback got, and the thread it ran on. */
    private record Answer(JobId job, boolean completed, RuntimeException failure, Thread thread) {
    }

    private CompletableFuture<Answer> submit(Completion completion, List<JobId> order) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        boolean taken = batcher.submit(completion, (completed, failure) -> {
            order.add(completion.claim().jobId());
            answer.complete(new Answer(completion.claim().jobId(), completed, failure, Thread.currentThread()));
        });
        assertThat(taken).isTrue();
        return answer;
    }

    @Test
    void aCompletionHandedInAloneIsWrittenAtOnceOnTheBatchersThread() throws Exception {
        Completion job = claimed();

        Answer answer = submit(job, new CopyOnWriteArrayList<>()).get(10, TimeUnit.SECONDS);

        assertThat(answer.completed()).isTrue();
        assertThat(answer.failure()).isNull();
        assertThat(answer.thread()).isNotSameAs(Thread.currentThread());
        assertThat(answer.thread().getName()).startsWith("test-complete");
        assertThat(memory.jobs().find(job.claim().jobId()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(store.batches).containsExactly(1);
    }

    @Test
    void completionsHandedInDuringASettleGoTogetherInTheNextEachWithItsAnswerInOrder() throws Exception {
        List<JobId> order = new CopyOnWriteArrayList<>();
        store.holdNext();
        CompletableFuture<Answer> first = submit(claimed(), order);
        assertThat(store.held.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        List<Completion> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(claimed());
        }
        memory.queue().remove(others.get(2).claim().jobId()); // cancelled meanwhile: its claim is revoked
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        others.forEach(c -> answers.add(submit(c, order)));
        assertThat(answers).noneMatch(CompletableFuture::isDone); // the submitting thread does not wait

        store.release.release();

        assertThat(first.get(10, TimeUnit.SECONDS).completed()).isTrue();
        List<Boolean> completed = new ArrayList<>();
        for (CompletableFuture<Answer> a : answers) {
            Answer answer = a.get(10, TimeUnit.SECONDS);
            assertThat(answer.failure()).isNull();
            completed.add(answer.completed());
        }
        assertThat(completed).containsExactly(true, true, false, true, true);
        assertThat(store.batches).containsExactly(1, 5);
        assertThat(order).hasSize(6).endsWith(others.stream().map(c -> c.claim().jobId()).toArray(JobId[]::new));
    }

    @Test
    void aFailedBatchFailsEachOfItsCompletionsAndTheNextBatchGoesOn() throws Exception {
        store.failNext();
        Answer failed = submit(claimed(), new CopyOnWriteArrayList<>()).get(10, TimeUnit.SECONDS);
        assertThat(failed.completed()).isFalse();
        assertThat(failed.failure()).isInstanceOf(BackendException.class);

        assertThat(submit(claimed(), new CopyOnWriteArrayList<>()).get(10, TimeUnit.SECONDS).completed()).isTrue();
    }

    @Test
    void aCallbackThatThrowsDoesNotStopTheBatcher() throws Exception {
        assertThat(batcher.submit(claimed(), (completed, failure) -> {
            throw new IllegalStateException("a defect in a callback");
        })).isTrue();

        assertThat(submit(claimed(), new CopyOnWriteArrayList<>()).get(10, TimeUnit.SECONDS).completed()).isTrue();
    }

    @Test
    void closingWritesWhatWasHandedInAndRefusesMore() throws Exception {
        store.holdNext();
        CompletableFuture<Answer> first = submit(claimed(), new CopyOnWriteArrayList<>());
        assertThat(store.held.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Answer> second = submit(claimed(), new CopyOnWriteArrayList<>());
        CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> {
            try {
                return batcher.close(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (batcher.submit(claimed(), (completed, failure) -> { })) { // accepted until close took effect
            Thread.sleep(1);
        }

        store.release.release(100);

        assertThat(closed.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.get(10, TimeUnit.SECONDS).completed()).isTrue();
        assertThat(second.get(10, TimeUnit.SECONDS).completed()).isTrue();
        assertThat(batcher.submit(claimed(), (completed, failure) -> { })).isFalse();
    }

    @Test
    void aBatchOfNoneIsRefused() {
        assertThatThrownBy(() -> new CompletionBatcher(store, 0, Threads.daemon("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatch").hasMessageContaining("got 0");
    }

    /** The in-memory store, recording each batch's size, with settles that can be held or failed. */
    private static final class Recording implements SnowpackStore {
        private final SnowpackStore backend;
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        /** A permit per settle that reached its hold; the test releases each held settle with a permit. */
        final Semaphore held = new Semaphore(0);
        final Semaphore release = new Semaphore(0);
        private final AtomicInteger holds = new AtomicInteger();
        private volatile boolean fail;

        Recording(SnowpackStore backend) {
            this.backend = backend;
        }

        void holdNext() {
            holds.incrementAndGet();
        }

        void failNext() {
            fail = true;
        }

        @Override
        public Set<JobId> completeJobs(Collection<Completion> completions) {
            batches.add(completions.size());
            if (fail) {
                fail = false;
                throw new BackendException("Database call failed: injected", null);
            }
            if (holds.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                held.release();
                try {
                    release.tryAcquire(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return backend.completeJobs(completions);
        }

        @Override public <T> T inTransaction(TransactionWork<T> work) { return backend.inTransaction(work); }
        @Override public Instant now() { return backend.now(); }
        @Override public JobQueue queue() { return backend.queue(); }
        @Override public LockManager locks() { return backend.locks(); }
        @Override public JobStore jobs() { return backend.jobs(); }
        @Override public TableCache tables() { return backend.tables(); }
        @Override public LeaderElector leaders() { return backend.leaders(); }
        @Override public SettingsStore settings() { return backend.settings(); }
        @Override public OrchestratorRunLog orchestratorRuns() { return backend.orchestratorRuns(); }
    }
}
