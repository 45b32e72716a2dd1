package io.snowpack.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Claim + complete throughput of Snowpack's {@code JobQueue} ({@code backend} = memory, h2, postgres) and, in
 * the same run, of the raw-JDBC baseline on the same PostgreSQL.
 *
 * <p><b>One operation</b> = one {@code claim(worker, batch)} call followed by completing what it returned
 * ({@code complete} for one job, {@code completeAll} for more). JMH's primary score is therefore claim calls
 * per second; <b>the figure that matters is the secondary result {@code jobs}: jobs claimed and completed per
 * second</b>, summed over all threads. {@code empty} counts claims that found nothing and must be 0.
 *
 * <p><b>Threads.</b> JMH cannot take the thread count as a {@code @Param}, so every benchmark exists three
 * times with {@code @Threads} 1, 4, 8 and 16 ({@code snowpack_t1}, {@code snowpack_t4}, …); one JMH run covers the
 * whole matrix. ({@code -t} on the command line would override all three.)
 *
 * <p><b>Stock.</b> The queue is topped up before every iteration, outside measurement, with more ready jobs
 * than the iteration can drain (see {@link StockKeeper}); the measured operation never enqueues.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
public class ClaimThroughputBenchmark {

    /** Snowpack's queue on one backend. */
    @State(Scope.Benchmark)
    public static class Snowpack {
        @Param({"memory", "h2", "postgres"})
        public String backend;

        @Param({"1", "10", "100"})
        public int batch;

        QueueUnderTest queue;
        StockKeeper stock;

        @Setup(Level.Trial)
        public void open(BenchmarkParams params) {
            QueueBackend which = QueueBackend.parse(backend);
            queue = which.open();
            stock = keeper(params, which == QueueBackend.MEMORY
                    ? Long.getLong("bench.stock.memory", 1_000_000L) : Long.getLong("bench.stock.jdbc", 100_000L));
        }

        @Setup(Level.Iteration)
        public void restock() {
            stock.beforeIteration(queue);
        }

        @TearDown(Level.Iteration)
        public void measure() {
            stock.afterIteration(queue);
        }

        @TearDown(Level.Trial)
        public void close() {
            queue.close();
        }
    }

    /** The raw-JDBC baseline: same statements, plain prepared statements, its own table, same PostgreSQL. */
    @State(Scope.Benchmark)
    public static class RawJdbcBaseline {
        @Param({"1", "10", "100"})
        public int batch;

        QueueUnderTest queue;
        StockKeeper stock;

        @Setup(Level.Trial)
        public void open(BenchmarkParams params) {
            queue = QueueBackend.RAW.open();
            stock = keeper(params, Long.getLong("bench.stock.jdbc", 100_000L));
        }

        @Setup(Level.Iteration)
        public void restock() {
            stock.beforeIteration(queue);
        }

        @TearDown(Level.Iteration)
        public void measure() {
            stock.afterIteration(queue);
        }

        @TearDown(Level.Trial)
        public void close() {
            queue.close();
        }
    }

    /** Per-thread counters, reported by JMH as rates (per second) summed over threads. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Jobs {
        /** Jobs claimed and completed: reported as jobs/s. */
        public long jobs;
        /** Claims that found the queue empty: must be 0. */
        public long empty;
        String worker;

        @Setup(Level.Trial)
        public void name() {
            worker = "bench-" + Thread.currentThread().getName();
        }

        @Setup(Level.Iteration)
        public void reset() {
            jobs = 0;
            empty = 0;
        }
    }

    @Benchmark
    @Threads(1)
    public int snowpack_t1(Snowpack queue, Jobs jobs) {
        return run(queue.queue, queue.stock, queue.batch, jobs);
    }

    @Benchmark
    @Threads(4)
    public int snowpack_t4(Snowpack queue, Jobs jobs) {
        return run(queue.queue, queue.stock, queue.batch, jobs);
    }

    @Benchmark
    @Threads(8)
    public int snowpack_t8(Snowpack queue, Jobs jobs) {
        return run(queue.queue, queue.stock, queue.batch, jobs);
    }

    @Benchmark
    @Threads(16)
    public int snowpack_t16(Snowpack queue, Jobs jobs) {
        return run(queue.queue, queue.stock, queue.batch, jobs);
    }

    @Benchmark
    @Threads(1)
    public int rawJdbcBaseline_t1(RawJdbcBaseline queue, Jobs jobs) {
        return run(queue.queue, queue.stock, queue.batch, jobs);
    }

    @Benchmark
    @Threads(4)
    public int rawJdbcBaseline_t4(RawJdbcBaseline queue, Jobs jobs) {
        return run(queue.queue, queue.stock, queue.batch, jobs);
    }

    @Benchmark
    @Threads(8)
    public int rawJdbcBaseline_t8(RawJdbcBaseline queue, Jobs jobs) {
        return run(queue.queue, queue.stock, queue.batch, jobs);
    }

    @Benchmark
    @Threads(16)
    public int rawJdbcBaseline_t16(RawJdbcBaseline queue, Jobs jobs) {
        return run(queue.queue, queue.stock, queue.batch, jobs);
    }

    private static int run(QueueUnderTest queue, StockKeeper stock, int batch, Jobs jobs) {
        int done = queue.claimAndComplete(jobs.worker, batch);
        if (done == 0) {
            jobs.empty++;
            stock.ranDry();
        }
        jobs.jobs += done;
        return done;
    }

    private static StockKeeper keeper(BenchmarkParams params, long minimum) {
        long warmup = params.getWarmup().getTime().convertTo(TimeUnit.MILLISECONDS);
        long measurement = params.getMeasurement().getTime().convertTo(TimeUnit.MILLISECONDS);
        return new StockKeeper(minimum, Math.max(warmup, measurement), TimeUnit.MILLISECONDS);
    }
}
