package io.snowpack.benchmarks;

import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.LockManager;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.jdbc.SnowpackSchema;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
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

/**
 * A table lock's whole life as a job lives it: taken at submit, renewed by the heartbeat, released when the job
 * settles. One operation is {@code tryAcquire} + {@code renew} + {@code release} of one table's lock; each thread
 * cycles over its own 1,000 tables, so threads never contend for one row (contention is the fuzz tests' business,
 * speed is this one's). The score is lock lifecycles per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
public class LockLeaseBenchmark {
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final int TABLES_PER_THREAD = 1_000;

    /** The backend under test. */
    @State(Scope.Benchmark)
    public static class Backend {
        @Param({"memory", "h2", "postgres"})
        public String backend;

        SnowpackStore store;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void open() {
            store = switch (backend) {
                case "memory" -> InMemoryStore.create();
                case "h2" -> jdbc(BenchDatabases.h2("locks_" + System.nanoTime()));
                case "postgres" -> jdbc(BenchDatabases.postgres());
                default -> throw new IllegalArgumentException("backend must be memory, h2 or postgres, got "
                        + backend);
            };
        }

        private static SnowpackStore jdbc(DataSource dataSource) {
            String schema = "bench_locks_" + System.nanoTime();
            SnowpackSchema.migrate(dataSource, schema);
            return JdbcStore.builder(dataSource).schema(schema).tableCacheTtl(Duration.ZERO).build();
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }
    }

    /** One thread's tables and holder. */
    @State(Scope.Thread)
    public static class Tables {
        String prefix;
        String holder;
        int next;

        @Setup(Level.Trial)
        public void name(Backend backend) {
            int thread = backend.threads.incrementAndGet();
            prefix = "db.t" + thread + "_";
            holder = "bench-" + thread;
        }

        String nextKey() {
            next = (next + 1) % TABLES_PER_THREAD;
            return prefix + next;
        }
    }

    @Benchmark
    @Threads(1)
    public boolean lifecycle_t1(Backend backend, Tables tables) {
        return lifecycle(backend.store.locks(), tables);
    }

    @Benchmark
    @Threads(4)
    public boolean lifecycle_t4(Backend backend, Tables tables) {
        return lifecycle(backend.store.locks(), tables);
    }

    private static boolean lifecycle(LockManager locks, Tables tables) {
        Lease taken = locks.tryAcquire(tables.nextKey(), tables.holder, TTL)
                .orElseThrow(() -> new IllegalStateException("a free table's lock was refused"));
        Lease renewed = locks.renew(taken, TTL)
                .orElseThrow(() -> new IllegalStateException("the holder's own lease was not renewed"));
        if (!locks.release(renewed)) {
            throw new IllegalStateException("the holder's own lease was not released");
        }
        return true;
    }
}
