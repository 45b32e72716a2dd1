package io.snowpack.iceberg;

/**
 * What the rewriting actions verify with: the metrics of broken invariants and (tests only) the faults injected
 * between read and write.
 */
record Verification(RewriteFaults faults, VerificationMetrics metrics) {
}
