package io.snowpack.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** A few seconds: the benchmark harness works (in memory, in this JVM) and the queues do what they claim. */
class ClaimBenchmarkSmokeTest {

    @Test
    void oneShortIterationInMemoryReportsJobsPerSecond() throws Exception {
        System.setProperty("jmh.ignoreLock", "true");
        System.setProperty("bench.stock.memory", "300000");
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(ClaimThroughputBenchmark.class.getName() + ".snowpack_t1$")
                .param("backend", "memory")
                .param("batch", "10")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .build()).run();
        assertThat(results).hasSize(1);
        RunResult run = results.iterator().next();
        double claims = run.getPrimaryResult().getScore();
        double jobs = run.getSecondaryResults().get("jobs").getScore();
        double empty = run.getSecondaryResults().get("empty").getScore();
        // Every claim that found jobs took a full batch of 10 (except at most one partial batch at the end).
        assertThat(jobs).isPositive()
                .isCloseTo(10 * (claims - empty), org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(ClaimReport.markdown(results)).contains("| memory | 10 |");
    }

    @Test
    void snowpackOnH2ClaimsAndCompletesBatches() {
        try (QueueUnderTest queue = QueueBackend.H2.open()) {
            queue.stock(25);
            assertThat(queue.ready()).isEqualTo(25);
            assertThat(queue.claimAndComplete("w", 10)).isEqualTo(10);
            assertThat(queue.claimAndComplete("w", 1)).isEqualTo(1);
            assertThat(queue.claimAndComplete("w", 100)).isEqualTo(14);
            assertThat(queue.claimAndComplete("w", 1)).isZero();
        }
    }

    @Test
    void inMemoryStockKeeperTopsUpBeforeEachIteration() {
        try (QueueUnderTest queue = QueueBackend.MEMORY.open()) {
            StockKeeper keeper = new StockKeeper(1_000, 1, java.util.concurrent.TimeUnit.SECONDS);
            keeper.beforeIteration(queue);
            assertThat(queue.ready()).isEqualTo(1_000);
            assertThat(queue.claimAndComplete("w", 100)).isEqualTo(100);
            keeper.afterIteration(queue);
            keeper.beforeIteration(queue);
            assertThat(queue.ready()).isGreaterThanOrEqualTo(1_000);
        }
    }
}
