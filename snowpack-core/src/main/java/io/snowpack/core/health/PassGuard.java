package io.snowpack.core.health;

import io.snowpack.core.leader.Leadership;
import io.snowpack.core.leader.LeadershipLostException;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TransactionWork;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the pass in progress may go on: it may while this process leads health sync. The first time the lead is
 * found lost (from memory before each table, or by a fenced write) the pass stops for good: no further table is
 * started, nothing more is removed, and no {@code last_synced} is recorded.
 */
final class PassGuard {
    private static final Logger LOG = LoggerFactory.getLogger(PassGuard.class);

    private final Leadership leadership;
    private final AtomicBoolean lost = new AtomicBoolean();

    PassGuard(Leadership leadership) {
        this.leadership = leadership;
    }

    /** {@code true} while this process leads and the pass has not been stopped; reads memory only. */
    boolean mayContinue() {
        if (lost.get()) {
            return false;
        }
        if (!leadership.isLeader()) {
            stop(leadership.holderId() + " no longer leads health sync");
            return false;
        }
        return true;
    }

    /** {@code true} once the pass has been stopped by a lost lead. */
    boolean stopped() {
        return lost.get();
    }

    /**
     * Runs {@code work} as one unit of work fenced by the health-sync lease ({@link Leadership#whileLeading}).
     *
     * @throws LeadershipLostException when the lead is lost; the pass is then stopped
     */
    <T> T fenced(SnowpackStore store, TransactionWork<T> work) {
        try {
            return leadership.whileLeading(store, work);
        } catch (LeadershipLostException e) {
            stop(e.getMessage());
            throw e;
        }
    }

    private void stop(String why) {
        if (lost.compareAndSet(false, true)) {
            LOG.warn("Health sync pass stopping: {}; no further table is started and no sync is recorded", why);
        }
    }
}
