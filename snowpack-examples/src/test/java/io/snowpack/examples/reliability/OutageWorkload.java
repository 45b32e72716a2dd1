package io.snowpack.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobStatus;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.service.MaintenanceService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;

/**
 * The tables and jobs of a fault run: {@code tables} small-file tables in one namespace, waves of one compaction +
 * manifest rewrite job per table, and the audit afterwards of what the tables and the job records say. It counts
 * the rows it appends, so the audit can tell whether any were lost.
 */
final class OutageWorkload {
    static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "note", Types.StringType.get()));
    private static final List<MaintenanceAction> ACTIONS = List.of(MaintenanceAction.REWRITE_DATA_FILES,
            MaintenanceAction.REWRITE_MANIFESTS);
    private static final int ROWS_PER_FILE = 20;

    private final String namespace;
    private final int tables;
    private final List<JobId> accepted = new ArrayList<>();
    private final Map<String, Long> rowsAppended = new TreeMap<>();
    private long nextId;

    OutageWorkload(String namespace, int tables) {
        this.namespace = namespace;
        this.tables = tables;
    }

    TableId table(int i) {
        return TableId.of(namespace, "t" + i);
    }

    private TableIdentifier identifier(int i) {
        return TableIdentifier.of(namespace, "t" + i);
    }

    /** Creates the namespace and tables, each with 4 appends of one small file. */
    void create(Catalog catalog) {
        ((SupportsNamespaces) catalog).createNamespace(Namespace.of(namespace));
        for (int i = 0; i < tables; i++) {
            Table table = catalog.createTable(identifier(i), SCHEMA, PartitionSpec.unpartitioned(),
                    Map.of("format-version", "2", "snowpack.min_input_files", "2", "commit.manifest-merge.enabled",
                            "false"));
            for (int f = 0; f < 4; f++) {
                append(table, "t" + i);
            }
        }
    }

    /** Three more appends per table, as writers keep writing between waves. */
    void appendMore(Catalog catalog) {
        for (int i = 0; i < tables; i++) {
            Table table = catalog.loadTable(identifier(i));
            for (int f = 0; f < 3; f++) {
                append(table, "t" + i);
                table.refresh();
            }
        }
    }

    private void append(Table table, String name) {
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET).dataSchema(SCHEMA).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PARQUET)
                .build();
        DataWriter<Record> writer = writers.newDataWriter(out.newOutputFile(), table.spec(), null);
        try (writer) {
            for (int r = 0; r < ROWS_PER_FILE; r++) {
                GenericRecord row = GenericRecord.create(SCHEMA);
                row.setField("id", nextId++);
                row.setField("note", "row " + nextId);
                writer.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DataFile file = writer.toDataFile();
        AppendFiles append = table.newAppend();
        append.appendFile(file);
        append.commit();
        rowsAppended.merge(name, (long) ROWS_PER_FILE, Long::sum);
    }

    /** One job per table; a table still busy with an earlier job (409) or a database restarting is tried again. */
    void submitWave(MaintenanceService service, int wave) throws InterruptedException {
        for (int i = 0; i < tables; i++) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (true) {
                try {
                    accepted.add(service.submit(table(i), ACTIONS, false).jobId());
                    break;
                } catch (RuntimeException busyOrDown) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("wave " + wave + ": t" + i + " was never accepted", busyOrDown);
                    }
                    Thread.sleep(250);
                }
            }
        }
    }

    /** Adds a job accepted some other way (through the HTTP API, say) to the ones awaited and audited. */
    void accepted(JobId job) {
        accepted.add(job);
    }

    List<JobId> accepted() {
        return List.copyOf(accepted);
    }

    /** Waits until every accepted job is terminal, or {@code timeout}; the store may be restarting meanwhile. */
    void awaitTerminal(MaintenanceService service, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (accepted.stream().allMatch(id -> service.get(id).isTerminal())) {
                    return;
                }
            } catch (RuntimeException restarting) {
                // the store may still be recovering
            }
            Thread.sleep(500);
        }
    }

    /** What the tables and the job records say after the run. */
    Audit audit(Catalog catalog, MaintenanceService service) {
        Map<JobId, Job> jobs = new HashMap<>();
        accepted.forEach(id -> jobs.put(id, service.get(id)));
        List<String> repeated = new ArrayList<>();
        List<String> unrecorded = new ArrayList<>();
        List<String> rowsLost = new ArrayList<>();
        int commits = 0;
        for (int i = 0; i < tables; i++) {
            Table table = catalog.loadTable(identifier(i));
            Map<String, Set<String>> attemptsByAction = new HashMap<>();
            for (Snapshot snapshot : table.snapshots()) {
                String job = snapshot.summary().get("snowpack.job-id");
                if (job == null) {
                    continue;
                }
                commits++;
                String action = snapshot.summary().get("snowpack.action");
                attemptsByAction.computeIfAbsent(job + " " + action, k -> new HashSet<>())
                        .add(snapshot.summary().get("snowpack.attempt"));
                Job owner = jobs.get(new JobId(job));
                boolean recorded = owner != null && owner.results().stream().anyMatch(r -> r.success()
                        && r.action().wireName().equals(action));
                if (!recorded) {
                    unrecorded.add("t" + i + " snapshot " + snapshot.snapshotId() + " of job " + job + " " + action);
                }
            }
            String name = "t" + i;
            attemptsByAction.forEach((key, attempts) -> {
                if (attempts.size() > 1) {
                    repeated.add(name + " " + key + " committed by attempts " + attempts);
                }
            });
            long rows = count(table);
            long expected = rowsAppended.getOrDefault(name, 0L);
            if (rows != expected) {
                rowsLost.add(name + " has " + rows + " rows, " + expected + " were appended");
            }
        }
        return new Audit(jobs, commits, repeated, unrecorded, rowsLost);
    }

    private static long count(Table table) {
        long rows = 0;
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record ignored : records) {
                rows++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** The audit: each accepted job, the Snowpack commits found in the tables, and what is wrong with them. */
    record Audit(Map<JobId, Job> jobs, int commits, List<String> repeated, List<String> unrecorded,
            List<String> rowsLost) {
        Map<String, Long> statuses() {
            return jobs.values().stream().collect(Collectors.groupingBy(j -> j.status().wireName(),
                    Collectors.counting()));
        }

        /** The jobs that ended FAILED, with why. */
        List<String> failed() {
            return jobs.values().stream().filter(j -> j.status() == JobStatus.FAILED)
                    .map(j -> j.jobId() + " " + j.table() + ": " + j.error()).toList();
        }

        /**
         * Writes {@code target/reliability/<scenario>.txt}: the audit's figures, the workers' (idle after recovery,
         * runs postponed) and the scenario's own {@code keysAndValues}.
         */
        void report(String scenario, int accepted, WorkerLogs workers, Object... keysAndValues) throws IOException {
            List<Object> figures = new ArrayList<>(List.of("jobs_accepted", accepted, "statuses", statuses(),
                    "commits_in_tables", commits, "repeated_commits", repeated.size(), "commits_recorded_nowhere",
                    unrecorded.size(), "tables_with_rows_lost", rowsLost.size(), "workers_idle_after_recovery",
                    workers.idleAfterRecovery().size(), "runs_postponed_by_an_outage", workers.postponed()));
            figures.addAll(List.of(keysAndValues));
            ReliabilityReport.write(scenario, figures.toArray());
        }

        /**
         * What every outage scenario promises: each accepted job ended terminal and none failed for the outage alone,
         * no action was committed by two attempts nor left unrecorded, no table lost or gained a row, something was
         * committed, and every worker claimed again after the recovery.
         */
        void assertNothingLostOrRepeated(WorkerLogs workers) {
            assertThat(jobs.values()).as("every accepted job ends terminal").allMatch(Job::isTerminal);
            assertThat(failed()).as("jobs failed by an outage alone").isEmpty();
            assertThat(repeated).as("actions committed by two attempts").isEmpty();
            assertThat(unrecorded).as("commits recorded on no job").isEmpty();
            assertThat(rowsLost).as("tables whose rows changed").isEmpty();
            assertThat(commits).isPositive();
            assertThat(workers.idleAfterRecovery()).as("workers that never claimed again after the outages").isEmpty();
        }
    }

    /**
     * Reads the workers' logs after a run, keeps a copy of each as {@code target/reliability/<scenario>-worker-N.log}
     * and tells which workers started no job at or after {@code recovered}, and how many runs were postponed for an
     * outage.
     */
    static WorkerLogs workerLogs(List<WorkerProcess> workers, LocalTime recovered, String scenario)
            throws IOException {
        List<String> idle = new ArrayList<>();
        long postponed = 0;
        for (int w = 0; w < workers.size(); w++) {
            String log = workers.get(w).log();
            postponed += log.lines().filter(line -> line.contains("waits for the catalog or object store")).count();
            if (!startedAJobAfter(log, recovered)) {
                idle.add("worker-" + w);
            }
            Path copy = Path.of("target", "reliability", scenario + "-worker-" + w + ".log");
            Files.createDirectories(copy.getParent());
            Files.writeString(copy, log);
        }
        return new WorkerLogs(idle, postponed);
    }

    /** What the workers' logs say: who never claimed again after the outages, how many runs were postponed. */
    record WorkerLogs(List<String> idleAfterRecovery, long postponed) {
    }

    /**
     * Whether the worker log shows a job started at or after {@code time} (log lines begin with the date and time
     * and its offset, {@code 2026-11-30T12:09:33.251-03:00}; compared in this JVM's zone).
     */
    private static boolean startedAJobAfter(String log, LocalTime time) {
        return log.lines().filter(line -> line.contains("Started job")).map(line -> line.split(" ", 2)[0])
                .map(stamp -> {
                    try {
                        return Optional.of(OffsetDateTime.parse(stamp).atZoneSameInstant(ZoneId.systemDefault())
                                .toLocalTime());
                    } catch (RuntimeException e) {
                        return Optional.<LocalTime>empty();
                    }
                }).flatMap(Optional::stream).anyMatch(stamp -> atOrAfter(stamp, time));
    }

    /**
     * Whether {@code stamp} is at or after {@code time}, within a run of minutes: a stamp more than 12 hours
     * "before" is one taken after midnight.
     */
    private static boolean atOrAfter(LocalTime stamp, LocalTime time) {
        return !stamp.isBefore(time) || Duration.between(stamp, time).toHours() >= 12;
    }
}
