package io.snowpack.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.MaintenanceConflictException;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.sweeper.Sweeper;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.TestDatabases;
import io.snowpack.testkit.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, scenario 1: four worker JVMs run 1,000 jobs over 50 tables while, every few seconds, one of them is
 * killed with SIGKILL and replaced. Afterwards every job is completed, none is lost, no two jobs' commits overlap on
 * a table, no commit carries a revoked fence, and the extra attempts equal the claims the killed workers held.
 */
class SigkillChaosTest {
    static final int JOBS = Integer.getInteger("snowpack.chaos.jobs", 1000);
    static final int TABLES = 50;
    static final int WORKERS = 4;
    static final Duration KILL_EVERY = Duration.ofSeconds(3);

    @TempDir
    Path logs;

    @Test
    void killedWorkersLoseNothingAndNeverCommitTwiceAtOnce() throws Exception {
        DataSource dataSource = TestDatabases.postgres();
        String schema = TestDatabases.newSchema(dataSource, "chaos");
        Ledger ledger = new Ledger(dataSource, schema);
        ledger.create();
        Map<String, String> env = ChaosEnvironment.of(schema);
        SnowpackConfig config = ChaosEnvironment.config(env);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        List<WorkerProcess> workers = new ArrayList<>();
        int kills = 0;
        int claimsHeldByKilled = 0;
        long started = System.nanoTime();
        try (SnowpackStore store = JdbcStore.builder(dataSource).schema(schema).build()) {
            List<TableId> tables = new ArrayList<>();
            for (int i = 0; i < TABLES; i++) {
                TableId table = TableId.of("chaos", "t" + i);
                store.tables().upsert(TestData.health(table, store.now(), true));
                tables.add(table);
            }
            MaintenanceService service = MaintenanceService.builder().store(store).config(config).build();
            Sweeper sweeper = Sweeper.builder().store(store).config(config).meterRegistry(registry).build();
            sweeper.start(scheduler);
            for (int i = 0; i < WORKERS; i++) {
                workers.add(WorkerProcess.start(env, logs, "worker-" + i));
            }

            Map<TableId, JobId> active = new HashMap<>();
            List<JobId> submitted = new ArrayList<>();
            long nextKill = System.nanoTime() + KILL_EVERY.toNanos();
            long deadline = System.nanoTime() + Math.max(Duration.ofMinutes(4).toNanos(),
                    Duration.ofMillis(JOBS * 120L).toNanos());
            while (System.nanoTime() < deadline) {
                for (TableId table : tables) {
                    JobId current = active.get(table);
                    if (submitted.size() < JOBS && (current == null || service.get(current).isTerminal())) {
                        try {
                            Job job = service.submit(table, List.of(MaintenanceAction.REWRITE_DATA_FILES), false);
                            active.put(table, job.jobId());
                            submitted.add(job.jobId());
                        } catch (MaintenanceConflictException stillHeld) {
                            // the previous job's lock is not released yet
                        }
                    }
                }
                if (submitted.size() == JOBS && noneLeft(service)) {
                    break;
                }
                if (System.nanoTime() >= nextKill && submitted.size() < JOBS) {
                    int victim = ThreadLocalRandom.current().nextInt(workers.size());
                    WorkerProcess process = workers.get(victim);
                    process.pause(); // frozen: its claims can no longer change while they are counted
                    claimsHeldByKilled += claimsHeldBy(dataSource, schema, process.pid());
                    process.kill();
                    kills++;
                    workers.set(victim, WorkerProcess.start(env, logs, "worker-" + WORKERS + kills));
                    nextKill = System.nanoTime() + KILL_EVERY.toNanos();
                }
                Thread.sleep(50);
            }
            for (WorkerProcess worker : workers) {
                assertThat(worker.terminate()).as("graceful exit code").isEqualTo(WorkerProcess.TERMINATED);
            }
            sweeper.close();

            List<Job> jobs = submitted.stream().map(service::get).toList();
            List<Ledger.Commit> commits = ledger.commits();
            long reclaimed = (long) registry.find("snowpack.sweeper.actions").tag("outcome", "reclaimed")
                    .counters().stream().mapToDouble(Counter::count).sum();
            int extraAttempts = jobs.stream().mapToInt(Job::attempts).sum() - jobs.size();
            long duplicated = commits.stream().map(Ledger.Commit::jobId).distinct().count() < commits.size()
                    ? commits.size() - commits.stream().map(Ledger.Commit::jobId).distinct().count() : 0;
            long lateCommits = commits.stream().filter(c -> !c.fenceValid()).count();

            ReliabilityReport.write("sigkill-chaos", "jobs", jobs.size(), "tables", TABLES,
                    "workers", WORKERS, "kills", kills, "claims_held_by_killed", claimsHeldByKilled,
                    "reclaimed", reclaimed, "extra_attempts", extraAttempts, "commits", commits.size(),
                    "repeated_commits_after_kill", duplicated, "commits_with_revoked_fence", lateCommits,
                    "seconds", Duration.ofNanos(System.nanoTime() - started).toSeconds());

            assertThat(submitted).hasSize(JOBS);
            assertThat(jobs.stream().filter(job -> job.status() != JobStatus.COMPLETED).map(job -> job + " queue "
                    + store.queue().entry(job.jobId()) + " lock " + store.locks().current(job.table().key())))
                    .as("jobs not completed").isEmpty();
            assertThat(store.queue().readyDepth()).isZero();
            assertThat(kills).isGreaterThanOrEqualTo(3);
            assertThat(lateCommits).as("commits made with a revoked fence").isZero();
            assertNoOverlap(commits, jobs);
            // Promises, not scheduling counts: on a busy machine a live but starved worker is reclaimed too.
            assertThat(reclaimed).as("every claim a killed worker held is reclaimed")
                    .isGreaterThanOrEqualTo(claimsHeldByKilled);
            // every extra attempt is explained by a stale claim the sweeper reclaimed (a claim killed before its job
            // started leaves no error on the job, so the reclaim count, not the job's error, is the evidence)
            assertThat(extraAttempts).as("every reclaim costs one attempt, nothing else does")
                    .isEqualTo(reclaimed);
            assertThat(duplicated).as("only a reclaimed claim can leave a commit behind")
                    .isLessThanOrEqualTo(reclaimed);
        } finally {
            scheduler.shutdownNow();
            for (WorkerProcess worker : workers) {
                worker.close();
            }
        }
    }

    private static boolean noneLeft(MaintenanceService service) {
        return service.list(JobQuery.all().withStatus(JobStatus.PENDING).withLimit(1)).isEmpty()
                && service.list(JobQuery.all().withStatus(JobStatus.RUNNING).withLimit(1)).isEmpty();
    }

    private static int claimsHeldBy(DataSource dataSource, String schema, long pid) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + schema + ".job_queue WHERE claimed_by LIKE '"
                        + pid + "@%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Commits of different jobs on one table never overlap in time (start of work to commit). */
    private static void assertNoOverlap(List<Ledger.Commit> commits, List<Job> jobs) {
        Map<String, List<Ledger.Commit>> byTable = new HashMap<>();
        commits.forEach(c -> byTable.computeIfAbsent(c.table(), t -> new ArrayList<>()).add(c));
        byTable.forEach((table, list) -> {
            for (int i = 1; i < list.size(); i++) {
                Ledger.Commit before = list.get(i - 1);
                Ledger.Commit after = list.get(i);
                if (!before.jobId().equals(after.jobId())) {
                    assertThat(after.startedAt()).as("%s: %s overlaps %s", table, after, before)
                            .isAfterOrEqualTo(before.committedAt());
                }
            }
        });
        assertThat(commits.stream().map(Ledger.Commit::jobId).distinct().count()).as("every job committed")
                .isEqualTo(jobs.size());
    }
}
