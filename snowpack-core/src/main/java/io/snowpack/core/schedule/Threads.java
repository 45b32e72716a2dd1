package io.snowpack.core.schedule;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The one way Snowpack makes its threads. Public so that every module can use it; not meant for embedders. */
public final class Threads {
    private Threads() {
    }

    /**
     * A factory of daemon threads named {@code prefix-1}, {@code prefix-2}, ... in creation order, so that every
     * thread of one factory has a name of its own (a thread dump then tells them apart).
     *
     * @param prefix e.g. {@code "snowpack-http"}
     */
    public static ThreadFactory daemon(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
