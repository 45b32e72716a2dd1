package io.snowpack.iceberg;

import io.snowpack.core.spi.ActionRequest;
import java.util.Map;

/** What every Snowpack commit records in its snapshot summary, so a snapshot can be traced to its job. */
final class CommitProperties {
    static final String JOB_ID = "snowpack.job-id";
    static final String ATTEMPT = "snowpack.attempt";
    static final String FENCE = "snowpack.fence";
    static final String ACTION = "snowpack.action";

    private CommitProperties() {
    }

    static Map<String, String> of(ActionRequest request) {
        return Map.of(JOB_ID, request.jobId().value(), ATTEMPT, Integer.toString(request.attempt()),
                FENCE, Long.toString(request.fence()), ACTION, request.action().wireName());
    }
}
