package io.snowpack.core.spi;

/**
 * A unit of work over several stores that must take effect all together or not at all.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface TransactionWork<T> {
    /**
     * Runs the work. Throwing any exception undoes every write made through {@code stores}.
     */
    T run(Stores stores);
}
