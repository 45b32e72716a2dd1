package io.snowpack.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.FenceRevokedException;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.StopRequestedException;
import io.snowpack.testkit.FaultyStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fence's checkpoint: a stop request and a refused claim are their own signals, and a claim whose
 * confirmation took longer than the safe window is treated as lost, so no unit of work or commit starts on a claim
 * the sweeper may reclaim before it ends (measured on the monotonic clock: a stalled process or database).
 */
class FenceTest {
    private final FaultyStore store = new FaultyStore(InMemoryStore.create());

    private Fence fence(Duration safeWindow) {
        return fence(safeWindow, Duration.ofSeconds(30));
    }

    private Fence fence(Duration safeWindow, Duration fresh) {
        JobId job = JobId.random();
        store.queue().enqueue(job, Duration.ZERO);
        long sentAt = System.nanoTime();
        Claim claim = store.queue().claim("w", 1).get(0);
        Lease lease = store.locks().tryAcquire("db.t" + job.value(), job.value(), Duration.ofHours(1)).orElseThrow();
        return new Fence(store, claim, lease, Duration.ofHours(1), safeWindow, fresh, sentAt);
    }

    @Test
    void aRecentConfirmationLetsTheNextActionStartWithoutAskingTheDatabase() {
        Fence fence = fence(Duration.ofMinutes(29));
        store.goDown();
        try {
            fence.checkRecent();
        } finally {
            store.comeBack();
        }
        assertThat(store.failures("heartbeat")).isZero();
    }

    @Test
    void anOldConfirmationIsCheckedWithTheDatabaseBeforeTheNextAction() throws Exception {
        Fence fence = fence(Duration.ofMinutes(29), Duration.ofMillis(50));
        store.queue().remove(fence.claim().jobId()); // cancelled since the claim
        Thread.sleep(100);

        assertThatThrownBy(fence::checkRecent).isInstanceOf(FenceRevokedException.class)
                .hasMessageContaining("revoked");
    }

    @Test
    void aRevokedFenceOrAStopIsHonouredWithoutAskingTheDatabase() {
        Fence revoked = fence(Duration.ofMinutes(29));
        store.queue().remove(revoked.claim().jobId());
        assertThat(revoked.heartbeat()).isFalse();
        store.goDown();
        try {
            assertThatThrownBy(revoked::checkRecent).isInstanceOf(FenceRevokedException.class);
        } finally {
            store.comeBack();
        }
        Fence stopping = fence(Duration.ofMinutes(29));
        stopping.requestStop();
        assertThatThrownBy(stopping::checkRecent).isInstanceOf(StopRequestedException.class);
    }

    @Test
    void aPromptConfirmationLetsTheWorkGoOn() {
        fence(Duration.ofMinutes(29)).check();
    }

    @Test
    void aConfirmationSlowerThanTheSafeWindowStopsTheWorkBeforeItCommits() throws Exception {
        Fence fence = fence(Duration.ofMillis(300));
        store.hold("heartbeat");
        CompletableFuture<Void> check = CompletableFuture.runAsync(fence::check);
        Thread.sleep(400); // the database stalls for longer than the window
        store.releaseClaims();

        assertThatThrownBy(() -> check.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(FenceRevokedException.class)
                .hasMessageContaining("no safe window");
        assertThatThrownBy(fence::check).as("stays revoked").isInstanceOf(FenceRevokedException.class);
    }

    @Test
    void aStopRequestIsItsOwnSignal() {
        Fence fence = fence(Duration.ofMinutes(29));
        fence.requestStop();

        assertThatThrownBy(fence::check).isInstanceOf(StopRequestedException.class);
    }

    @Test
    void aRefusedClaimRevokesTheFence() {
        Fence fence = fence(Duration.ofMinutes(29));
        store.queue().remove(fence.claim().jobId());

        assertThatThrownBy(fence::check).isInstanceOf(FenceRevokedException.class)
                .hasMessageContaining("revoked");
        assertThat(fence.revokedBecause()).isNotNull();
    }
}
