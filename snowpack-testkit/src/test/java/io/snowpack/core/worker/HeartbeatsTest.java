package io.snowpack.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Claim;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats: a held job is beaten over and over, never sooner than three quarters of an interval after it was
 * added or last beaten (the timer beats early rather than late, by at most one of its four ticks per interval); a
 * removed job, or any job once the timer closed, is beaten no more; a beat that throws does not stop the others.
 * Upper bounds on the gaps are not asserted: on a busy machine the timer thread may be late.
 */
class HeartbeatsTest {
    private static final Duration PERIOD = Duration.ofMillis(40);

    private final Map<Fence, List<Long>> beats = new ConcurrentHashMap<>();
    private Heartbeats heartbeats;

    @AfterEach
    void close() {
        if (heartbeats != null) {
            heartbeats.close();
        }
    }

    private static Fence fence(String id) {
        Claim claim = new Claim(new JobId(id.repeat(32).substring(0, 32)), "w", 1, 1, Instant.now());
        return new Fence(null, claim, null, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofSeconds(1),
                System.nanoTime());
    }

    private void record(Fence fence) {
        beats.computeIfAbsent(fence, f -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
    }

    private List<Long> beatsOf(Fence fence) {
        return beats.getOrDefault(fence, List.of());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).as("reached within 30 s").isTrue();
    }

    @Test
    void aHeldJobIsBeatenOverAndOverNeverSoonerThanThreeQuartersOfAnInterval() throws Exception {
        heartbeats = new Heartbeats(PERIOD, Executors.defaultThreadFactory(), this::record);
        Fence job = fence("a");
        long added = System.nanoTime();
        assertThat(heartbeats.add(job)).isTrue();

        await(() -> beatsOf(job).size() >= 5);

        long shortest = PERIOD.toNanos() * 3 / 4;
        List<Long> times = beatsOf(job);
        assertThat(times.get(0) - added).as("first beat after the claim").isGreaterThanOrEqualTo(shortest);
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 1)).as("gap before beat %d", i).isGreaterThanOrEqualTo(shortest);
        }
    }

    @Test
    void aRemovedJobIsBeatenNoMoreWhileTheOthersAre() throws Exception {
        heartbeats = new Heartbeats(PERIOD, Executors.defaultThreadFactory(), this::record);
        Fence ended = fence("a");
        Fence held = fence("b");
        heartbeats.add(ended);
        heartbeats.add(held);
        await(() -> beatsOf(ended).size() >= 2);

        heartbeats.remove(ended);
        Thread.sleep(PERIOD.toMillis()); // a beat under way when it was removed finishes
        int afterRemoval = beatsOf(ended).size();
        int heldBefore = beatsOf(held).size();
        await(() -> beatsOf(held).size() >= heldBefore + 4);

        assertThat(beatsOf(ended)).hasSize(afterRemoval);
    }

    @Test
    void aBeatThatThrowsDoesNotStopTheOthers() throws Exception {
        Fence failing = fence("a");
        Fence healthy = fence("b");
        heartbeats = new Heartbeats(PERIOD, Executors.defaultThreadFactory(), fence -> {
            record(fence);
            if (fence == failing) {
                throw new IllegalStateException("store down");
            }
        });
        heartbeats.add(failing);
        heartbeats.add(healthy);

        await(() -> beatsOf(failing).size() >= 3 && beatsOf(healthy).size() >= 3);
    }

    @Test
    void aClosedTimerBeatsNothingAndRefusesNewJobs() throws Exception {
        heartbeats = new Heartbeats(PERIOD, Executors.defaultThreadFactory(), this::record);
        Fence job = fence("a");
        heartbeats.add(job);
        await(() -> beatsOf(job).size() >= 1);

        heartbeats.close();
        Thread.sleep(PERIOD.toMillis()); // a beat under way when it closed finishes
        int atClose = beatsOf(job).size();
        Thread.sleep(PERIOD.toMillis() * 4);

        assertThat(beatsOf(job)).hasSize(atClose);
        assertThat(heartbeats.add(fence("b"))).as("claimed while the worker closed: handed back").isFalse();
    }

    @Test
    void thePeriodMustBePositive() {
        assertThatThrownBy(() -> new Heartbeats(Duration.ZERO, Executors.defaultThreadFactory(), f -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("heartbeat period must be positive, got PT0S");
    }
}
