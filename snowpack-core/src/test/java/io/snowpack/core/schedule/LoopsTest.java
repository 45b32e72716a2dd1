package io.snowpack.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A periodic loop outlives the failures of its passes; it starts once and closes idempotently. */
class LoopsTest {
    @Test
    void aPassThatThrowsAnErrorDoesNotEndTheLoop() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch passes = new CountDownLatch(3);
        try {
            ScheduledFuture<?> loop = Loops.withFixedDelay(scheduler, Duration.ZERO, Duration.ofMillis(1), () -> {
                passes.countDown();
                throw new NoClassDefFoundError("org/example/Missing (thrown by the test)");
            }, LoggerFactory.getLogger(LoopsTest.class), "Test pass");

            assertThat(passes.await(30, TimeUnit.SECONDS)).as("three passes ran").isTrue();
            assertThat(loop.isDone()).as("the loop ended").isFalse();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aPassThatThrowsARuntimeExceptionDoesNotEndTheLoop() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch passes = new CountDownLatch(3);
        try {
            Loops.withFixedDelay(scheduler, Duration.ZERO, Duration.ofMillis(1), () -> {
                passes.countDown();
                throw new IllegalStateException("thrown by the test");
            }, LoggerFactory.getLogger(LoopsTest.class), "Test pass");

            assertThat(passes.await(30, TimeUnit.SECONDS)).as("three passes ran").isTrue();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aTaskStartsOnceClosesIdempotentlyAndCanStartAgain() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        PeriodicTask task = new PeriodicTask("The test loop");
        try {
            CountDownLatch passes = new CountDownLatch(2);
            task.start(scheduler, Duration.ZERO, Duration.ofMillis(1), passes::countDown,
                    LoggerFactory.getLogger(LoopsTest.class), "Test pass");

            assertThat(passes.await(30, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> task.start(scheduler, Duration.ZERO, Duration.ofMillis(1), () -> { },
                    LoggerFactory.getLogger(LoopsTest.class), "Test pass"))
                    .isInstanceOf(IllegalStateException.class).hasMessage("The test loop is already started");
            task.close();
            task.close();
            assertThat(task.isStarted()).isFalse();
            CountDownLatch again = new CountDownLatch(1);
            task.start(scheduler, Duration.ZERO, Duration.ofMillis(1), again::countDown,
                    LoggerFactory.getLogger(LoopsTest.class), "Test pass");
            assertThat(again.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            task.close();
            scheduler.shutdownNow();
        }
    }

    @Test
    void aTaskOnItsOwnThreadRunsOnANamedDaemonThreadThatCloseEnds() throws Exception {
        PeriodicTask task = new PeriodicTask("The test loop");
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        task.startOnOwnThread("snowpack-test", Duration.ZERO, Duration.ofMillis(1),
                () -> ranOn.complete(Thread.currentThread()), LoggerFactory.getLogger(LoopsTest.class), "Test pass");
        Thread thread = ranOn.get(30, TimeUnit.SECONDS);
        task.close();

        assertThat(thread.getName()).isEqualTo("snowpack-test-1");
        assertThat(thread.isDaemon()).isTrue();
        thread.join(30_000);
        assertThat(thread.isAlive()).as("close ends the task's own thread").isFalse();
    }

    @Test
    void daemonThreadsAreNumberedPerFactory() {
        ThreadFactory factory = Threads.daemon("snowpack-x");

        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });

        assertThat(first.getName()).isEqualTo("snowpack-x-1");
        assertThat(second.getName()).isEqualTo("snowpack-x-2");
        assertThat(first.isDaemon() && second.isDaemon()).isTrue();
        assertThat(Threads.daemon("snowpack-x").newThread(() -> { }).getName()).isEqualTo("snowpack-x-1");
    }
}
