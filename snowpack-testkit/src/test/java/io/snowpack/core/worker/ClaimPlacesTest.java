package io.snowpack.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The claimer's places: it waits until as many places as it asks for are free, then takes every free one; places
 * come back one by one or several at once; an interrupt ends the wait.
 */
class ClaimPlacesTest {

    @Test
    void aClaimerTakesEveryFreePlaceWhenEnoughAreFree() throws Exception {
        ClaimPlaces places = new ClaimPlaces(5);

        assertThat(places.takeAtLeast(3)).isEqualTo(5);
        assertThat(places.free()).isZero();
    }

    @Test
    void aClaimerWaitsUntilAsManyPlacesAsItAsksForCameBack() throws Exception {
        ClaimPlaces places = new ClaimPlaces(4);
        places.takeAtLeast(4);
        AtomicReference<Thread> claimer = new AtomicReference<>();
        CompletableFuture<Integer> taken = claimer(places, 3, claimer);
        awaitParked(claimer);

        places.release();
        places.release();
        awaitParked(claimer); // two of three: still waiting
        assertThat(taken).isNotDone();
        assertThat(places.free()).isEqualTo(2);

        places.release(2);

        assertThat(taken.get(30, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(places.free()).isZero();
    }

    @Test
    void placesComingBackOneByOneDoNotWakeTheClaimerUntilItHasEnough() throws Exception {
        ClaimPlaces places = new ClaimPlaces(11);
        places.takeAtLeast(11);
        AtomicReference<Thread> claimer = new AtomicReference<>();
        CompletableFuture<Integer> taken = claimer(places, 11, claimer);
        awaitParked(claimer);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long parkedBefore = threads.getThreadInfo(claimer.get().getId()).getWaitedCount();

        for (int i = 0; i < 10; i++) {
            places.release();
            Thread.sleep(5); // time for a woken claimer to run (passing never depends on it: fewer wake-ups pass)
            awaitParked(claimer);
        }
        long parkedAgain = threads.getThreadInfo(claimer.get().getId()).getWaitedCount() - parkedBefore;
        places.release();

        assertThat(taken.get(30, TimeUnit.SECONDS)).isEqualTo(11);
        // a semaphore acquired for 11 permits wakes its waiter at each of the 10 releases, to park again each time;
        // the bound leaves room for a rare spurious wake-up
        assertThat(parkedAgain).isLessThan(5);
    }

    @Test
    void anInterruptEndsTheWaitAndTakesNothing() throws Exception {
        ClaimPlaces places = new ClaimPlaces(2);
        places.takeAtLeast(1);
        places.release();
        AtomicReference<Thread> claimer = new AtomicReference<>();
        CompletableFuture<Integer> taken = claimer(places, 2, claimer);
        awaitParked(claimer);

        claimer.get().interrupt();

        assertThat(taken.get(30, TimeUnit.SECONDS)).as("interrupted").isEqualTo(-1);
        assertThat(places.free()).isEqualTo(1);
    }

    @Test
    void badCountsAreRefusedWithTheValue() {
        assertThatThrownBy(() -> new ClaimPlaces(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
        ClaimPlaces places = new ClaimPlaces(1);
        assertThatThrownBy(() -> places.takeAtLeast(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> places.release(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1");
        places.release(0);
        assertThat(places.free()).isEqualTo(1);
    }

    /** A claimer taking at least {@code atLeast} places on a thread of its own; -1 when it was interrupted. */
    private static CompletableFuture<Integer> claimer(ClaimPlaces places, int atLeast, AtomicReference<Thread> thread) {
        return CompletableFuture.supplyAsync(() -> {
            thread.set(Thread.currentThread());
            try {
                return places.takeAtLeast(atLeast);
            } catch (InterruptedException e) {
                return -1;
            }
        });
    }

    /** Waits until the claimer thread is parked in its wait (not merely started). */
    private static void awaitParked(AtomicReference<Thread> claimer) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (claimer.get() == null || claimer.get().getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the claimer never waited");
            }
            Thread.sleep(1);
        }
    }
}
