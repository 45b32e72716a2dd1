package io.snowpack.core.service;

import io.snowpack.core.SnowpackException;
import io.snowpack.core.model.Job;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one request of {@link MaintenanceService#submitAll}: the job it was accepted as, or the reason it
 * was refused ({@link io.snowpack.core.MaintenanceConflictException} for a busy table,
 * {@link io.snowpack.core.TableNotFoundException} for an unknown one, a failed dry run's preview error), exactly as
 * {@link MaintenanceService#submit} would have thrown it.
 *
 * @param request the request, as given
 * @param job     the stored job when accepted
 * @param refusal why it was refused, when it was
 */
public record Submission(MaintenanceRequest request, Optional<Job> job, Optional<SnowpackException> refusal) {
    public Submission {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(refusal, "refusal");
        if (job.isPresent() == refusal.isPresent()) {
            throw new IllegalArgumentException("a submission is either accepted (a job) or refused (a reason)");
        }
    }

    /** {@code request} became {@code job}. */
    public static Submission accepted(MaintenanceRequest request, Job job) {
        return new Submission(request, Optional.of(job), Optional.empty());
    }

    /** {@code request} was refused because of {@code reason}. */
    public static Submission refused(MaintenanceRequest request, SnowpackException reason) {
        return new Submission(request, Optional.empty(), Optional.of(reason));
    }

    /** Whether the request became a job. */
    public boolean isAccepted() {
        return job.isPresent();
    }
}
