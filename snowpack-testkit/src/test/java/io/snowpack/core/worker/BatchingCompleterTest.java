package io.snowpack.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.BackendException;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.JobId;
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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Group commit: a job that ends alone settles at once; jobs that end while a settle is in flight go together in the
 * next one; each learns its own answer, and a failed batch fails each of its settles.
 */
class BatchingCompleterTest {
    private final SnowpackStore memory = InMemoryStore.create();
    private final Recording store = new Recording(memory);

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

    @Test
    void aJobThatEndsAloneSettlesAtOnce() {
        BatchingCompleter completer = new BatchingCompleter(store, 100);
        Completion job = claimed();

        assertThat(completer.complete(job)).isTrue();
        assertThat(store.batches).containsExactly(1);
    }

    @Test
    void jobsThatEndDuringASettleGoTogetherInTheNextAndEachLearnsItsAnswer() throws Exception {
        BatchingCompleter completer = new BatchingCompleter(store, 100);
        Completion first = claimed();
        store.holdNext();
        CompletableFuture<Boolean> leader = CompletableFuture.supplyAsync(() -> completer.complete(first));
        assertThat(store.held.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        List<Completion> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(claimed());
        }
        memory.queue().remove(others.get(2).claim().jobId()); // cancelled meanwhile: its claim is revoked
        List<CompletableFuture<Boolean>> waiting = others.stream()
                .map(c -> CompletableFuture.supplyAsync(() -> completer.complete(c))).toList();
        while (store.waiters(completer) < 5) {
            Thread.sleep(5);
        }
        store.release.release();

        assertThat(leader.get(10, TimeUnit.SECONDS)).isTrue();
        List<Boolean> answers = new ArrayList<>();
        for (CompletableFuture<Boolean> w : waiting) {
            answers.add(w.get(10, TimeUnit.SECONDS));
        }
        assertThat(answers).containsExactly(true, true, false, true, true);
        assertThat(store.batches).containsExactly(1, 5);
    }

    @Test
    void aJobWaitingForALaterBatchSleepsThroughTheBatchesBeforeIt() throws Exception {
        BatchingCompleter completer = new BatchingCompleter(store, 100);
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            store.holdNext();
            store.holdNext();
            CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> completer.complete(claimed()),
                    threads);
            assertThat(store.held.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            List<Thread> waiters = new CopyOnWriteArrayList<>();
            List<CompletableFuture<Boolean>> later = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Completion job = claimed();
                later.add(CompletableFuture.supplyAsync(() -> {
                    waiters.add(Thread.currentThread());
                    return completer.complete(job);
                }, threads));
            }
            while (store.waiters(completer) < 5
                    || !waiters.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
                Thread.sleep(5);
            }
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long waitsBefore = waiters.stream().mapToLong(t -> mx.getThreadInfo(t.getId()).getWaitedCount()).sum();

            store.release.release(); // the first batch ends; the second (the five) is settled and held
            assertThat(store.held.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(20); // time for threads woken in vain to park again (passing never depends on it)
            long waitsMeanwhile = waiters.stream().mapToLong(t -> mx.getThreadInfo(t.getId()).getWaitedCount()).sum()
                    - waitsBefore;
            store.release.release();

            assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
            for (CompletableFuture<Boolean> job : later) {
                assertThat(job.get(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(store.batches).containsExactly(1, 5);
            // the leader of the second batch waits once, in the held settle; waking every waiting thread when a
            // batch ends would have the other four park again too (at least 5 in all). The bound leaves room for a
            // spurious wake-up.
            assertThat(waitsMeanwhile).isLessThanOrEqualTo(2);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aFailedBatchFailsEachOfItsSettlesAndTheNextBatchGoesOn() throws Exception {
        BatchingCompleter completer = new BatchingCompleter(store, 100);
        store.failNext();
        assertThatThrownBy(() -> completer.complete(claimed())).isInstanceOf(BackendException.class);
        assertThat(completer.complete(claimed())).isTrue();
        assertThatThrownBy(() -> new BatchingCompleter(store, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }

    /** The in-memory store, recording each batch's size, with a settle that can be held or failed. */
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

        /** Threads parked in {@code completer}, waiting for their batch (read through its lock's queue). */
        int waiters(BatchingCompleter completer) {
            try {
                var field = BatchingCompleter.class.getDeclaredField("waiting");
                field.setAccessible(true);
                var lockField = BatchingCompleter.class.getDeclaredField("lock");
                lockField.setAccessible(true);
                var lock = (java.util.concurrent.locks.ReentrantLock) lockField.get(completer);
                lock.lock();
                try {
                    return ((Collection<?>) field.get(completer)).size();
                } finally {
                    lock.unlock();
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
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
