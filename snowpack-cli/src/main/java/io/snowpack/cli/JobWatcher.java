package io.snowpack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Objects;

/**
 * Follows a job until it ends, polling {@code GET /jobs/{id}} every interval and printing each status change and
 * each action result as it appears (the worker records results as each action ends). Exits with
 * {@link ExitCodes#OK} when the job completed and {@link ExitCodes#JOB_FAILED} when it failed or was cancelled.
 */
final class JobWatcher {
    private final ApiClient api;
    private final Printer printer;
    private final Duration interval;

    JobWatcher(ApiClient api, Printer printer, Duration interval) {
        this.api = Objects.requireNonNull(api, "api");
        this.printer = Objects.requireNonNull(printer, "printer");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("The polling interval must be positive, got " + interval);
        }
        this.interval = interval;
    }

    /**
     * Follows the job whose latest known state is {@code job} until it is terminal; prints the final job (JSON
     * mode: the API's JSON on standard output, progress on standard error).
     *
     * @return the exit code: 0 completed, 1 failed or cancelled
     */
    int watch(JsonNode job) {
        String id = job.path("job_id").asText();
        printer.progress(JobText.summary(job));
        String status = job.path("status").asText();
        int shown = printResults(job, 0);
        while (!JobText.isTerminal(job)) {
            pause();
            job = api.get(PathSegments.job(id, "")).json();
            if (job.path("results").size() < shown) {
                shown = 0; // a retry starts over
            }
            shown = printResults(job, shown);
            if (!job.path("status").asText().equals(status)) {
                status = job.path("status").asText();
                printer.progress(JobText.summary(job));
            }
        }
        if (printer.isJson()) {
            printer.json(job);
        }
        return JobText.isCompleted(job) ? ExitCodes.OK : ExitCodes.JOB_FAILED;
    }

    private int printResults(JsonNode job, int alreadyShown) {
        JsonNode results = job.path("results");
        for (int i = alreadyShown; i < results.size(); i++) {
            printer.progress(JobText.result(results.get(i)));
        }
        return Math.max(alreadyShown, results.size());
    }

    private void pause() {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNREACHABLE, "Interrupted while waiting for the job", e);
        }
    }
}
