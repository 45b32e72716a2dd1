package io.snowpack.core.spi;

/** A registration that ends when closed. Closing twice does nothing. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    /** A subscription with nothing to end. */
    Subscription NONE = () -> { };

    @Override
    void close();
}
