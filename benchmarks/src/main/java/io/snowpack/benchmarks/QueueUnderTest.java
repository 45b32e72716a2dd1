package io.snowpack.benchmarks;

/** A queue measured by the claim benchmarks: Snowpack's {@code JobQueue} on a backend, or the raw baseline. */
interface QueueUnderTest extends AutoCloseable {
    /** Adds {@code jobs} visible jobs (not measured). */
    void prefill(int jobs);

    /** Claims up to {@code batch} jobs and completes them. @return how many were completed */
    int claimAndComplete(String worker, int batch);

    @Override
    default void close() {
    }
}
