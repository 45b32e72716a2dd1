package io.snowpack.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Claim + complete throughput in jobs per second (the {@code jobs} counter), for every backend and beside the
 * raw-JDBC baseline on the same PostgreSQL. The queue is filled before each iteration (not measured) with more
 * jobs than an iteration can drain; {@code empty} counts claims that found nothing, and must stay 0.
 * Threads come from JMH's {@code -t}; run the matrix with {@code -t 1}, {@code -t 4}, {@code -t 8}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ClaimThroughputBenchmark {

    @State(Scope.Benchmark)
    public static class Queue {
        @Param({"memory", "h2", "postgres", "postgres_raw_jdbc"})
        public String backend;

        @Param({"1", "10", "100"})
        public int batch;

        /** Jobs put in the queue before each iteration. */
        @Param({"400000"})
        public int prefill;

        QueueUnderTest queue;
        final AtomicInteger workers = new AtomicInteger();

        @Setup(Level.Trial)
        public void open() {
            queue = QueueBackend.parse(backend).open();
        }

        @Setup(Level.Iteration)
        public void fill() {
            queue.prefill(prefill);
        }

        @TearDown(Level.Trial)
        public void close() {
            queue.close();
        }
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        /** Jobs claimed and completed. */
        public long jobs;
        /** Claims that found the queue empty. */
        public long empty;
        String worker;

        @Setup(Level.Trial)
        public void name(Queue queue) {
            worker = "bench-" + queue.workers.incrementAndGet();
        }
    }

    @Benchmark
    public int claimAndComplete(Queue queue, Counters counters) {
        int done = queue.queue.claimAndComplete(counters.worker, queue.batch);
        if (done == 0) {
            counters.empty++;
        }
        counters.jobs += done;
        return done;
    }
}
