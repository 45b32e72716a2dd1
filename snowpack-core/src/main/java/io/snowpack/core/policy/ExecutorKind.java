package io.snowpack.core.policy;

/**
 * The executor that maintains a table: the plain-Java one in the worker's JVM, or a Spark one. {@link ExecutorRouting}
 * picks one per table; the maintenance plan shows it by {@link #wireName()}.
 */
public enum ExecutorKind {
    /** The plain-Java executor, in the worker's own JVM. */
    LOCAL("local"),
    /** The Spark executor. */
    SPARK("spark");

    private final String wireName;

    ExecutorKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name the API and the logs use: {@code local} or {@code spark}. */
    public String wireName() {
        return wireName;
    }

    /** The wire name. */
    @Override
    public String toString() {
        return wireName;
    }
}
