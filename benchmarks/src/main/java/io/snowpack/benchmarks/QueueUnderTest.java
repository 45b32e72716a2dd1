package io.snowpack.benchmarks;

/** A queue measured by the claim benchmarks: Snowpack's {@code JobQueue} on a backend, or the raw baseline. */
interface QueueUnderTest extends AutoCloseable {
    /** Jobs ready to be claimed now. */
    long ready();

    /**
     * Adds {@code jobs} ready jobs in bulk (never measured), then tidies up the table (on PostgreSQL:
     * {@code VACUUM ANALYZE}) so that every measured interval starts from the same state.
     */
    void stock(long jobs);

    /** Adds {@code jobs} ready jobs in bulk without tidying up: a producer running beside the claimers. */
    void add(long jobs);

    /** Claims up to {@code batch} jobs and completes them. @return how many were completed */
    int claimAndComplete(String worker, int batch);

    @Override
    default void close() {
    }
}
