package io.snowpack.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.JobTransition;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.testkit.Concurrently;
import io.snowpack.testkit.TestData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PostgreSQL under real contention, each thread on its own connection, on database time. */
class PostgresConcurrencyTest {
    private static DataSource dataSource;
    private static String schema;
    private static SnowpackStore store;

    @BeforeAll
    static void migrate() {
        dataSource = TestDatabases.postgres();
        schema = TestDatabases.newSchema(dataSource, "concurrency");
        store = JdbcStore.builder(dataSource).schema(schema).build();
    }

    @Test
    void eightWorkersClaimAndCompleteTwentyThousandJobsEachExactlyOnce() throws Exception {
        int jobs = 20_000;
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO " + schema + ".job_queue (job_id, visible_at) VALUES (?, now() - interval '1 second')")) {
            for (int i = 0; i < jobs; i++) {
                insert.setString(1, JobId.random().value());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        ConcurrentHashMap<JobId, Integer> seen = new ConcurrentHashMap<>();
        AtomicInteger refusedCompletions = new AtomicInteger();

        Concurrently.run(8, worker -> () -> {
            while (true) {
                List<Claim> claims = store.queue().claim("worker-" + worker, worker % 2 == 0 ? 1 : 25);
                if (claims.isEmpty()) {
                    return null;
                }
                claims.forEach(claim -> seen.merge(claim.jobId(), 1, Integer::sum));
                refusedCompletions.addAndGet(claims.size() - store.queue().completeAll(claims).size());
            }
        });

        assertThat(seen).hasSize(jobs);
        assertThat(seen.values()).containsOnly(1);
        assertThat(refusedCompletions).hasValue(0);
        assertThat(store.queue().readyDepth()).isZero();
    }

    @Test
    void aWorkerWhoseJobWasCancelledCanWriteNothing() {
        TableId table = TableId.parse("fence.cancelled");
        store.tables().upsert(TestData.health(table, store.now(), true));
        MaintenanceService service = MaintenanceService.builder().store(store).build();
        Job job = service.submit(table, List.of(MaintenanceAction.REWRITE_DATA_FILES), false);
        Claim claim = store.queue().claim("worker-1", 1).stream()
                .filter(c -> c.jobId().equals(job.jobId())).findFirst().orElseThrow();
        Lease lease = store.locks().current(table.key()).orElseThrow();
        store.jobs().transition(job.jobId(), JobStatus.PENDING, JobTransition.running(claim.attempts()));

        service.cancel(job.jobId());

        assertRevoked(claim, job.jobId());
        // the lock stays with the cancelled job until its worker confirms it stopped (a commit may be in flight);
        // the revoked worker's heartbeat is refused by the queue first, so it never renews it
        assertThat(store.locks().current(table.key())).contains(lease);
        assertThat(store.jobs().find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void aWorkerWhoseClaimWasReclaimedCanWriteNothing() {
        JobId id = JobId.random();
        store.queue().enqueue(id, Duration.ZERO);
        Claim stale = store.queue().claim("worker-stalled", 5).stream()
                .filter(c -> c.jobId().equals(id)).findFirst().orElseThrow();
        try (Connection c = dataSource.getConnection(); PreparedStatement age = c.prepareStatement(
                "UPDATE " + schema + ".job_queue SET claimed_at = now() - interval '31 minutes' WHERE job_id = ?")) {
            age.setString(1, id.value());
            assertThat(age.executeUpdate()).isEqualTo(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }

        assertThat(store.queue().reclaimStale(Duration.ofMinutes(30))).extracting(Claim::jobId).contains(id);

        assertThat(store.queue().heartbeat(stale)).isFalse();
        assertThat(store.queue().retry(stale, Duration.ZERO)).isFalse();
        assertThat(store.queue().release(stale)).isFalse();
        assertThat(store.queue().complete(stale)).isFalse();
        assertThat(store.queue().entry(id).orElseThrow().isClaimed()).isFalse();
        store.queue().remove(id);
    }

    private static void assertRevoked(Claim claim, JobId jobId) {
        assertThat(store.queue().heartbeat(claim)).isFalse();
        assertThat(store.queue().complete(claim)).isFalse();
        assertThat(store.queue().retry(claim, Duration.ZERO)).isFalse();
        assertThat(store.jobs().addResult(jobId,
                ActionResult.succeeded(MaintenanceAction.REWRITE_DATA_FILES, "late", 1, null))).isFalse();
        assertThat(store.jobs().transition(jobId, JobStatus.RUNNING, JobTransition.completed())).isFalse();
        assertThat(store.jobs().find(jobId).orElseThrow().results()).isEmpty();
    }
}
