package io.snowpack.core.worker;

import io.snowpack.core.spi.Completion;
import io.snowpack.core.spi.SnowpackStore;
import java.util.List;

/** Settles a job whose actions all ended well: on its own, or batched with other jobs that end at the same moment. */
interface Completer {
    /**
     * @return {@code true} when the job completed; {@code false} when its claim had been revoked (nothing written)
     * @throws io.snowpack.core.BackendException when the backend failed (the settle may or may not have landed)
     */
    boolean complete(Completion completion);

    /** Each completion in its own unit of work. */
    static Completer direct(SnowpackStore store) {
        return completion -> store.completeJobs(List.of(completion)).contains(completion.claim().jobId());
    }
}
