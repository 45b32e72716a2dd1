package io.snowpack.core.spi;

import io.snowpack.core.model.Job;
import java.util.Objects;

/**
 * What {@link SnowpackStore#queueJobs} made of one draft: the job it stored and queued, or, when the draft's table
 * was busy, what held the table. A busy draft wrote nothing.
 *
 * @param draft  the draft as given
 * @param job    the stored, pending job; {@code null} when the table was busy
 * @param holder when busy: the unfinished job, or the holder of the table lock, that kept the draft out;
 *               {@code null} when queued, or when the holder let go before it could be named
 */
public record Admission(JobDraft draft, Job job, String holder) {
    public Admission {
        Objects.requireNonNull(draft, "draft");
        if (job != null && holder != null) {
            throw new IllegalArgumentException("a queued draft has no holder; got job " + job.jobId()
                    + " and holder " + holder);
        }
        if (job != null && !job.jobId().equals(draft.jobId())) {
            throw new IllegalArgumentException("job " + job.jobId() + " is not the draft's " + draft.jobId());
        }
    }

    /** The draft became {@code job}, pending in the queue with the table's lock. */
    public static Admission queued(JobDraft draft, Job job) {
        return new Admission(draft, Objects.requireNonNull(job, "job"), null);
    }

    /** The draft's table was busy with {@code holder} ({@code null} when it can no longer be named). */
    public static Admission busy(JobDraft draft, String holder) {
        return new Admission(draft, null, holder);
    }

    /** Whether the draft was stored and queued. */
    public boolean isQueued() {
        return job != null;
    }
}
