package io.snowpack.iceberg;

/**
 * The invariants a rewrite must keep, checked from the files themselves. The names are the {@code invariant} tag
 * of {@code snowpack.verification.failures} and appear in every {@link VerificationFailedException}.
 */
enum Invariant {
    /** The reader saw every row of every input file (rows read = the input files' record counts). */
    ROWS_READ("rows_read"),
    /** Rows written = rows read − rows removed by the deletes applied. */
    ROW_COUNT("row_count"),
    /** The same, per output partition: each partition got exactly the live rows that belong to it. */
    PARTITION_ROW_COUNT("partition_row_count"),
    /** Each output file's partition tuple is valid in its spec and its rows' values fall in that partition. */
    PARTITION_MATCHES_ROWS("partition_matches_rows"),
    /** Each output file of a sort or z-order rewrite holds its rows in that order. */
    ROWS_IN_ORDER("rows_in_order"),
    /** No output file was written over an existing path. */
    NEW_OUTPUT_PATHS("new_output_paths"),
    /** Every position delete of a live data file read is written again, and nothing else. */
    DELETES_PRESERVED("deletes_preserved"),
    /** Each position-delete file is in the spec and partition of every data file it deletes from. */
    DELETE_PARTITION("delete_partition"),
    /** After the commit, the rewritten rows read back equal to the rows before (opt-in). */
    READ_BACK("read_back");

    private final String wireName;

    Invariant(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    /** Fails the action: {@code action} broke this invariant, as {@code detail} says. */
    VerificationFailedException broken(String action, String detail) {
        return new VerificationFailedException(wireName, action + " refused to commit: invariant " + wireName
                + " broken: " + detail);
    }
}
