package io.snowpack.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceRequest;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.service.Submission;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.SnowpackSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Submitting through {@link MaintenanceService} on embedded PostgreSQL with {@code fsync} and
 * {@code synchronous_commit} on: {@value #ROUND} cached tables, one real job each, with {@code submitAll} (one unit
 * of work for the round) or one {@code submit} per job. The score is <b>jobs accepted per second</b> (each one
 * locked, stored and queued). Between invocations, outside the measured time, every round's tables are freed:
 * with {@code history=none} the round's jobs, locks and queue rows are deleted; with {@code history=kept} its jobs
 * are finished as a worker finishes them (completed, queue rows and locks deleted) and stay in the job history, so
 * later rounds submit against a history that grows by a round each time, with the dead row versions a completion
 * leaves until {@code jobs} is vacuumed, as in a deployment that keeps 90 days of history.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dbench.pg.fsync=on", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@State(Scope.Benchmark)
public class SubmitBenchmark {
    static final int ROUND = 1_000;

    @Param({"batch", "single"})
    public String submit;

    /** {@code none}: every round starts from an empty job history; {@code kept}: finished rounds stay in it. */
    @Param({"none"})
    public String history;

    private DataSource database;
    private String schema;
    private SnowpackStore store;
    private MaintenanceService service;
    private List<MaintenanceRequest> requests;

    @Setup(Level.Trial)
    public void open() {
        database = BenchDatabases.postgres();
        schema = "submit_" + submit;
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        SnowpackSchema.migrate(database, schema);
        store = JdbcStore.builder(database).schema(schema).build();
        requests = new ArrayList<>(ROUND);
        for (int i = 0; i < ROUND; i++) {
            requests.add(new MaintenanceRequest(new TableId("bench", "table_" + i),
                    List.of(MaintenanceAction.EXPIRE_SNAPSHOTS), false, JobTrigger.ORCHESTRATOR));
        }
        Instant now = store.now();
        store.inTransaction(stores -> {
            requests.forEach(r -> stores.tables().upsert(TableHealth.builder(r.table()).dataFiles(100)
                    .syncedAt(now).property(TableHealth.MAINTENANCE_ENABLED_PROPERTY, "true").build()));
            return null;
        });
        service = MaintenanceService.builder().store(store).meterRegistry(new SimpleMeterRegistry()).build();
    }

    @TearDown(Level.Invocation)
    public void freeTheTables() {
        if (history.equals("kept")) {
            execute("UPDATE " + schema + ".jobs SET status = 'completed', completed_at = CURRENT_TIMESTAMP "
                    + "WHERE completed_at IS NULL");
            execute("DELETE FROM " + schema + ".job_queue");
            execute("DELETE FROM " + schema + ".table_locks");
        } else {
            execute("TRUNCATE " + schema + ".job_queue, " + schema + ".table_locks, " + schema + ".job_actions, "
                    + schema + ".jobs");
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROUND)
    public int jobs() {
        if (submit.equals("batch")) {
            List<Submission> outcomes = service.submitAll(requests);
            if (!outcomes.stream().allMatch(Submission::isAccepted)) {
                throw new IllegalStateException("a table was not free: " + outcomes);
            }
            return outcomes.size();
        }
        requests.forEach(service::submit);
        return requests.size();
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }

    private void execute(String sql) {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run " + sql, e);
        }
    }
}
