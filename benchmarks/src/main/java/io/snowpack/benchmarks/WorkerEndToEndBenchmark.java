package io.snowpack.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceRequest;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.worker.Worker;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.SnowpackSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Jobs as a user runs them, end to end, on embedded PostgreSQL with {@code fsync} and {@code synchronous_commit}
 * on: {@value #ROUND} tables in the table cache, one no-op job per table submitted through
 * {@link MaintenanceService}, drained by a real pool {@link Worker} whose executor does nothing. Beside it, in
 * the same run and on the same server, db-scheduler (the Java peer users would pick) runs the same number of no-op
 * one-time tasks with its lock-and-fetch polling.
 *
 * <p><b>One operation</b> = one job (the benchmark method submits {@value #ROUND} and returns when every one has
 * been settled, {@link OperationsPerInvocation}): the score is <b>jobs per second, submit to settle</b>.
 *
 * <p>Parameters: {@code engine} = {@code snowpack} (the worker claims only into free slots), {@code
 * snowpack_prefetch} (it also claims {@code prefetchPerSlot} jobs per slot ahead: claims and settles go in batches) or {@code
 * dbscheduler}; {@code slots} = worker threads; {@code submit} = {@code batch} ({@code submitAll}, one transaction
 * per round; db-scheduler's {@code scheduleBatch}) or {@code single} (one {@code submit} per job).
 *
 * <p><b>Costs per job</b>, printed after every iteration as a {@code [e2e]} line and appended to
 * {@code target/e2e-costs.tsv} for {@link EndToEndReport}: <i>commits/job</i> counts write transactions (the
 * transaction ids PostgreSQL assigned: every commit that must reach the disk), <i>statements/job</i> the statements
 * {@code pg_stat_statements} saw ({@code BEGIN} and {@code COMMIT} included), both over the whole iteration, submit
 * included, <i>WAL/job</i> the bytes of write-ahead log written, and <i>CPU/job</i> the processor time this JVM and
 * the PostgreSQL server spent ({@link CpuTime}): on two shared cores the sum bounds the rate, and it varies far less
 * from run to run than the rate does. Read-only transactions assign no id; {@code pg_stat_database.xact_commit}, which counts them too, is
 * flushed by idle backends only every ten seconds or so, too late for a 10 s iteration.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dbench.pg.fsync=on",
        "-Dbench.pg.conf.shared_preload_libraries=pg_stat_statements",
        // Per-job INFO lines piped through JMH would cost more than the job: the logs a deployment writes are its own.
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class WorkerEndToEndBenchmark {
    /** Tables in the cache, and jobs per operation. */
    static final int ROUND = 1_000;
    static final Path COSTS = Path.of("target", "e2e-costs.tsv");

    /** One engine on its own schema of the shared embedded PostgreSQL. */
    @State(Scope.Benchmark)
    public static class Engine {
        @Param({"snowpack", "snowpack_prefetch", "dbscheduler"})
        public String engine;

        @Param({"4", "16"})
        public int slots;

        @Param({"batch", "single"})
        public String submit;

        /**
         * Jobs {@code snowpack_prefetch} claims ahead per slot. db-scheduler's lock-and-fetch (0.5, 3.0) fetches up
         * to three per thread whenever fewer than half a thread's worth are left: {@code 3} matches it.
         */
        @Param({"1"})
        public int prefetchPerSlot;

        DataSource database;
        SnowpackStore store;
        MaintenanceService service;
        Worker worker;
        Counter settled;
        Scheduler scheduler;
        OneTimeTask<Void> noOpTask;
        final AtomicLong tasksDone = new AtomicLong();
        List<MaintenanceRequest> requests;
        long doneBefore;
        Costs atIterationStart;
        long jobsAtIterationStart;
        long jobsSubmitted;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            database = BenchDatabases.postgres();
            execute(database, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            if (Boolean.getBoolean("bench.e2e.wal")) {
                execute(database, "CREATE EXTENSION IF NOT EXISTS pg_walinspect");
            }
            String schema = ("e2e_" + engine + "_" + slots + "_" + submit).toLowerCase(java.util.Locale.ROOT);
            execute(database, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            if (engine.equals("dbscheduler")) {
                openDbScheduler(schema);
            } else {
                openSnowpack(schema);
            }
        }

        private void openSnowpack(String schema) {
            SnowpackSchema.migrate(database, schema);
            store = JdbcStore.builder(database).schema(schema).build();
            requests = new ArrayList<>(ROUND);
            Instant now = store.now();
            for (int i = 0; i < ROUND; i++) {
                requests.add(new MaintenanceRequest(new TableId("bench", "table_" + i),
                        List.of(MaintenanceAction.EXPIRE_SNAPSHOTS), false, JobTrigger.ORCHESTRATOR));
            }
            store.inTransaction(stores -> { // the table cache, as one health-sync pass would leave it
                requests.forEach(r -> stores.tables().upsert(TableHealth.builder(r.table()).dataFiles(100)
                        .smallFiles(90).totalRecords(1_000).totalBytes(10_000_000).snapshots(10).formatVersion(2)
                        .syncedAt(now).property(TableHealth.MAINTENANCE_ENABLED_PROPERTY, "true").build()));
                return null;
            });
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            MaintenanceExecutor noOp = new NoOpExecutor();
            service = MaintenanceService.builder().store(store).executor(noOp).meterRegistry(registry).build();
            worker = Worker.builder().store(store).executor(noOp).workerId("bench-" + engine).slots(slots)
                    .prefetch(engine.equals("snowpack_prefetch") ? slots * prefetchPerSlot : 0)
                    .pollInterval(Duration.ofMillis(10), Duration.ofMillis(50)).meterRegistry(registry).build();
            settled = registry.counter("snowpack.jobs.finished", "outcome", "completed", "trigger", "orchestrator");
            worker.start();
        }

        private void openDbScheduler(String schema) {
            execute(database, "CREATE SCHEMA " + schema);
            execute(database, "CREATE TABLE " + schema + ".scheduled_tasks (task_name TEXT NOT NULL, "
                    + "task_instance TEXT NOT NULL, task_data BYTEA, execution_time TIMESTAMPTZ NOT NULL, "
                    + "picked BOOLEAN NOT NULL, picked_by TEXT, last_success TIMESTAMPTZ, last_failure TIMESTAMPTZ, "
                    + "consecutive_failures INT, last_heartbeat TIMESTAMPTZ, version BIGINT NOT NULL, "
                    + "priority SMALLINT, PRIMARY KEY (task_name, task_instance))");
            execute(database, "CREATE INDEX ON " + schema + ".scheduled_tasks (execution_time)");
            execute(database, "CREATE INDEX ON " + schema + ".scheduled_tasks (last_heartbeat)");
            execute(database, "CREATE INDEX ON " + schema + ".scheduled_tasks (priority DESC, execution_time)");
            noOpTask = Tasks.oneTime("noop").execute((instance, context) -> { });
            scheduler = Scheduler.create(database, noOpTask).tableName(schema + ".scheduled_tasks").threads(slots)
                    .pollUsingLockAndFetch(0.5, 3.0).pollingInterval(Duration.ofMillis(10))
                    .enableImmediateExecution()
                    .addSchedulerListener(new AbstractSchedulerListener() {
                        @Override
                        public void onExecutionComplete(ExecutionComplete complete) {
                            tasksDone.incrementAndGet();
                        }
                    }).build();
            scheduler.start();
        }

        long done() {
            return scheduler != null ? tasksDone.get() : (long) settled.count();
        }

        /** Submits one round: one job per table, or {@value #ROUND} db-scheduler tasks. */
        void submitRound() {
            if (scheduler != null) {
                List<TaskInstance<?>> instances = new ArrayList<>(ROUND);
                for (int i = 0; i < ROUND; i++) {
                    instances.add(noOpTask.instance(Long.toString(jobsSubmitted + i)));
                }
                if (submit.equals("batch")) {
                    scheduler.scheduleBatch(instances, Instant.now());
                } else {
                    instances.forEach(instance -> scheduler.schedule(instance, Instant.now()));
                }
            } else if (submit.equals("batch")) {
                service.submitAll(requests);
            } else {
                requests.forEach(service::submit);
            }
            jobsSubmitted += ROUND;
        }

        @Setup(Level.Iteration)
        public void measureFrom() {
            atIterationStart = Costs.read(database);
            jobsAtIterationStart = done();
        }

        @TearDown(Level.Iteration)
        public void report() {
            Costs now = Costs.read(database);
            printWalRecords(atIterationStart.walBytes(), now.walBytes(), done() - jobsAtIterationStart);
            Costs spent = now.minus(atIterationStart);
            long jobs = done() - jobsAtIterationStart;
            double commits = spent.writeTransactions() / (double) jobs;
            double statements = spent.statements() / (double) jobs;
            double wal = spent.walBytes() / (double) jobs;
            double jvmCpu = spent.jvmCpuMicros() / (double) jobs;
            double postgresCpu = spent.postgresCpuMicros() / (double) jobs;
            String line = String.format(java.util.Locale.ROOT, "%s\t%d\t%s\t%d\t%.3f\t%.3f\t%.0f\t%.0f\t%.0f%n", engine,
                    slots, submit, jobs, commits, statements, wal, jvmCpu, postgresCpu);
            System.out.printf("[e2e] engine=%s slots=%d submit=%s jobs=%d commits/job=%.2f statements/job=%.2f "
                    + "wal/job=%.0f B cpu/job: jvm=%.0f us postgres=%.0f us%n", engine, slots, submit, jobs, commits,
                    statements, wal, jvmCpu, postgresCpu);
            try {
                Files.createDirectories(COSTS.getParent());
                Files.writeString(COSTS, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * With {@code -Dbench.e2e.wal=true} (in the fork: {@code -jvmArgsAppend}): the WAL the iteration wrote, by
         * record type ({@code pg_walinspect}), in bytes per job: which rows and indexes a job's log comes from, and
         * how much of it is full-page images; and each table's rows inserted, updated (how many of them HOT) and
         * deleted since the trial began.
         */
        private void printWalRecords(long fromLsn, long toLsn, long jobs) {
            if (!Boolean.getBoolean("bench.e2e.wal") || jobs == 0) {
                return;
            }
            try (Connection c = database.getConnection(); java.sql.PreparedStatement s = c.prepareStatement(
                    "SELECT \"resource_manager/record_type\", count, record_size, fpi_size "
                            + "FROM pg_get_wal_stats(CAST(? AS pg_lsn), CAST(? AS pg_lsn), true) "
                            + "WHERE count > 0 ORDER BY combined_size DESC LIMIT 20")) {
                s.setString(1, lsn(fromLsn));
                s.setString(2, lsn(toLsn));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        System.out.printf(java.util.Locale.ROOT,
                                "[e2e wal] %-28s %7.2f records/job %7.0f B/job records %7.0f B/job page images%n",
                                rs.getString(1), rs.getLong(2) / (double) jobs, rs.getLong(3) / (double) jobs,
                                rs.getLong(4) / (double) jobs);
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot read pg_walinspect", e);
            }
            try (Connection c = database.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del "
                         + "FROM pg_stat_user_tables WHERE schemaname LIKE 'e2e%' AND n_tup_ins > 0 "
                         + "ORDER BY relname")) {
                while (rs.next()) { // since the trial began: HOT updates rewrite a row without index entries
                    System.out.printf(java.util.Locale.ROOT, "[e2e rows] %-16s inserted %9d updated %9d (HOT %9d) "
                            + "deleted %9d%n", rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot read pg_stat_user_tables", e);
            }
        }

        /** A byte position of the WAL in PostgreSQL's {@code pg_lsn} notation. */
        private static String lsn(long position) {
            return Long.toHexString(position >>> 32).toUpperCase(java.util.Locale.ROOT) + "/"
                    + Long.toHexString(position & 0xFFFFFFFFL).toUpperCase(java.util.Locale.ROOT);
        }

        /** With {@code -Dbench.e2e.statements=true} (in the fork: {@code -jvmArgsAppend}): the busiest statements. */
        @TearDown(Level.Trial)
        public void printStatements() {
            if (!Boolean.getBoolean("bench.e2e.statements")) {
                return;
            }
            try (Connection c = database.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT calls, round(total_exec_time::numeric, 1), plans, "
                         + "round(total_plan_time::numeric, 1), "
                         + "left(regexp_replace(query, '\\s+', ' ', 'g'), 160) FROM pg_stat_statements "
                         + "ORDER BY calls DESC LIMIT 20")) {
                // plans and planning time are counted with -Dbench.pg.conf.pg_stat_statements.track_planning=on
                while (rs.next()) {
                    System.out.printf("[e2e statements] %9d calls %10s ms  %7d plans %8s ms  %s%n", rs.getLong(1),
                            rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5));
                }
                s.execute("SELECT pg_stat_statements_reset()");
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot read pg_stat_statements", e);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            if (worker != null) {
                worker.close();
                store.close();
            }
            if (scheduler != null) {
                scheduler.stop();
            }
        }
    }

    /** Submits a round and returns once every job of it has been settled. */
    @Benchmark
    @OperationsPerInvocation(ROUND)
    public long jobs(Engine e) {
        long target = e.done() + ROUND;
        e.submitRound();
        while (e.done() < target) {
            LockSupport.parkNanos(100_000);
        }
        return e.done();
    }

    /** Does nothing and says so: the job's whole cost is Snowpack's bookkeeping. */
    static final class NoOpExecutor implements MaintenanceExecutor {
        @Override
        public ActionResult execute(ActionRequest request, Checkpoint checkpoint) {
            return ActionResult.succeeded(request.action(), "nothing to do", 0, Map.of());
        }

        @Override
        public ActionResult preview(TableId table, MaintenanceAction action) {
            return ActionResult.succeeded(action, "nothing to do", 0, Map.of());
        }
    }

    /**
     * What the database did so far: the next transaction id (its growth counts write transactions), the calls
     * {@code pg_stat_statements} recorded for this database, the WAL written, and the CPU time of this JVM and of
     * the PostgreSQL server.
     */
    record Costs(long writeTransactions, long statements, long walBytes, long jvmCpuMicros, long postgresCpuMicros) {
        static Costs read(DataSource database) {
            try (Connection c = database.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint, "
                         + "(SELECT COALESCE(sum(calls), 0) FROM pg_stat_statements "
                         + "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())), "
                         + "pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
                rs.next();
                return new Costs(rs.getLong(1), rs.getLong(2), rs.getLong(3), CpuTime.thisJvmMicros(),
                        CpuTime.postgresMicros());
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot read PostgreSQL's counters", e);
            }
        }

        Costs minus(Costs earlier) {
            return new Costs(writeTransactions - earlier.writeTransactions, statements - earlier.statements,
                    walBytes - earlier.walBytes, jvmCpuMicros - earlier.jvmCpuMicros,
                    postgresCpuMicros - earlier.postgresCpuMicros);
        }
    }

    private static void execute(DataSource database, String sql) {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run " + sql, e);
        }
    }
}
