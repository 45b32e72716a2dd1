package io.snowpack.core.leader;

import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TransactionWork;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Leadership as the leader-only loops (sweeper, orchestrator) use it: whether this process leads now, and
 * {@link #whileLeading} to make a write only while it still does.
 *
 * <p>{@link LeaderElection} fences: {@code whileLeading} checks the leader lease's fence in the same unit of work as
 * the write ({@link io.snowpack.core.spi.LeaderElector#holds}), so a leader deposed since it last looked (paused,
 * starved, cut off) writes nothing. {@link #unfenced} only asks a predicate; it suits one process without election.
 */
public interface Leadership {
    /** {@code true} while this process leads, as far as it knows without asking the store. */
    boolean isLeader();

    /** This process's id, recorded with each orchestrator run. */
    String holderId();

    /**
     * Runs {@code work} as one unit of work on {@code store} only while this process leads.
     *
     * @return what {@code work} returned
     * @throws LeadershipLostException when this process does not lead (any more); {@code work} then did not run
     *                                 or was undone
     */
    <T> T whileLeading(SnowpackStore store, TransactionWork<T> work);

    /**
     * Leadership decided by {@code leads} alone, with no fence on writes: for a single process, or tests.
     *
     * @param holderId the id recorded with orchestrator runs
     */
    static Leadership unfenced(BooleanSupplier leads, String holderId) {
        Objects.requireNonNull(leads, "leads");
        Objects.requireNonNull(holderId, "holderId");
        return new Leadership() {
            @Override
            public boolean isLeader() {
                return leads.getAsBoolean();
            }

            @Override
            public String holderId() {
                return holderId;
            }

            @Override
            public <T> T whileLeading(SnowpackStore store, TransactionWork<T> work) {
                if (!leads.getAsBoolean()) {
                    throw new LeadershipLostException(holderId + " does not lead");
                }
                return store.inTransaction(work);
            }

            @Override
            public String toString() {
                return "unfenced leadership of " + holderId;
            }
        };
    }

    /** A process that always leads, unfenced, as {@code holderId}. */
    static Leadership always(String holderId) {
        return unfenced(() -> true, holderId);
    }
}
