package io.snowpack.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Execution slots: at most {@code slots} jobs hold one at a time, waiting jobs get them in the order they were lined
 * up whichever thread asks first, a job asked to stop leaves the line without one, and an opened gate lets every job
 * in at once.
 */
class ExecutionSlotsTest {
    /** A thread per job, as the worker's pool gives each held job. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }
    /** A fence no backend is asked about: these tests only read its stop request. */
    private static Fence fence() {
        return new Fence(null, null, null, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofSeconds(1),
                System.nanoTime());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void waitingJobsEnterInTheOrderTheyWereLinedUpAtMostSlotsAtOnce() throws Exception {
        ExecutionSlots slots = new ExecutionSlots(2);
        List<Fence> jobs = new ArrayList<>();
        List<CountDownLatch> done = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(fence());
            done.add(new CountDownLatch(1));
            slots.line(jobs.get(i));
        }
        List<Fence> entered = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Boolean>> asking = new ArrayList<>();
        for (int i = jobs.size() - 1; i >= 0; i--) { // the last lined up asks first
            int job = i;
            asking.add(CompletableFuture.supplyAsync(() -> {
                boolean in = slots.enter(jobs.get(job));
                entered.add(jobs.get(job));
                await(done.get(job));
                slots.leave();
                return in;
            }, threads));
            Thread.sleep(5);
        }

        for (int i = 0; i < jobs.size(); i++) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (entered.size() < Math.min(i + 2, jobs.size()) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            // A set, not a list: the first two enter together and may record themselves in either order. From then
            // on one job enters per slot given back, so the set names which one it was.
            assertThat(entered).as("slots taken while jobs 0..%d hold them", i - 1)
                    .containsExactlyInAnyOrderElementsOf(jobs.subList(0, Math.min(i + 2, jobs.size())));
            done.get(i).countDown();
        }
        for (CompletableFuture<Boolean> thread : asking) {
            assertThat(thread.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aJobAskedToStopLeavesTheLineWithoutASlotAndTheNextOneGetsIt() {
        ExecutionSlots slots = new ExecutionSlots(1);
        Fence running = fence();
        Fence stopped = fence();
        Fence next = fence();
        slots.line(running);
        slots.line(stopped);
        slots.line(next);
        assertThat(slots.enter(running)).isTrue();

        stopped.requestStop();
        assertThat(slots.enter(stopped)).as("asked to stop: back to the queue, no slot").isFalse();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> slots.enter(next), threads);
        slots.leave();

        assertThat(waiting.orTimeout(30, TimeUnit.SECONDS).join()).isTrue();
    }

    @Test
    void anOpenedGateLetsEveryJobInAtOnce() throws Exception {
        ExecutionSlots slots = new ExecutionSlots(1);
        Fence running = fence();
        assertThat(slots.enter(running)).isTrue();
        Fence prefetched = fence();
        CountDownLatch asked = new CountDownLatch(1);
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            asked.countDown();
            return slots.enter(prefetched);
        }, threads);
        await(asked);
        Thread.sleep(20);
        assertThat(waiting).as("one slot, taken").isNotDone();

        prefetched.requestStop(); // what a closing worker does before it opens the gate
        slots.open();

        assertThat(waiting.get(30, TimeUnit.SECONDS)).as("stops at once, without a slot").isFalse();
        assertThat(slots.enter(fence())).as("a job after the gate opened is let in (it will see the stop)").isTrue();
    }

    @Test
    void slotsMustBePositive() {
        assertThatThrownBy(() -> new ExecutionSlots(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slots must be >= 1, got 0");
    }
}
