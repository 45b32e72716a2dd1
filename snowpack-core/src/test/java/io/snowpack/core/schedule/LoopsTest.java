package io.snowpack.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A periodic loop outlives the failures of its passes. */
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
}
