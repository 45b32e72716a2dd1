package io.snowpack.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.FenceRevokedException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * With partial progress on, Iceberg commits each file group on a commit thread of its own and only logs a commit
 * that fails, so Spark's action returns "normally" after a revoked fence refused a group. The Spark executor still
 * throws the very signal, the groups committed before it stay (each tagged with the job), and nothing is
 * committed after it.
 */
class PartialProgressFenceTest {
    @Test
    void aFenceRevokedBetweenGroupCommitsIsThrownAndNothingMoreIsCommitted() {
        SparkTables tables = new SparkTables(SharedSpark.freshDatabase("partial"), "facts");
        tables.create(SparkTables.BY_CATEGORY, Map.of("snowpack.min_input_files", "2",
                "snowpack.partial_progress_max_commits", "10"));
        tables.append(0, 3_000, 3);
        tables.append(3_000, 6_000, 3);
        List<String> rows = tables.rows();
        MaintenanceExecutor executor = SparkMaintenanceExecutor.builder(tables.catalog, tables.spark)
                .config(SnowpackConfig.defaults()).checkpointInterval(Duration.ofHours(1)).build();
        ActionRequest request = new ActionRequest(JobId.random(), tables.id, MaintenanceAction.REWRITE_DATA_FILES,
                1, 5);
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<String> stateAtSignal = new AtomicReference<>();
        FenceRevokedException revoked = new FenceRevokedException(request.jobId().value(), "the claim was revoked");
        Checkpoint checkpoint = () -> {
            if (calls.incrementAndGet() == 3) { // before the action, the first group's commit, then this one
                stateAtSignal.set(tables.metadataLocation());
                throw revoked;
            }
        };

        assertThatThrownBy(() -> executor.execute(request, checkpoint)).isSameAs(revoked);

        assertThat(tables.metadataLocation()).as("nothing committed after the signal").isEqualTo(stateAtSignal.get());
        assertThat(StreamSupport.stream(tables.load().snapshots().spliterator(), false)
                .filter(s -> request.jobId().value().equals(s.summary().get("snowpack.job-id"))))
                .as("the one group committed before the revocation").hasSize(1);
        assertThat(tables.rows()).isEqualTo(rows);
    }
}
