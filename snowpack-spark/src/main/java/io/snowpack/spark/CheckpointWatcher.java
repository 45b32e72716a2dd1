package io.snowpack.spark;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a running action's checkpoint on a timer while its Spark jobs run, so a stop request or a revoked fence
 * cancels them within one interval instead of at the next commit. One daemon thread serves every action of an
 * engine; a checkpoint that throws a signal cancels the action's jobs itself ({@link GuardedCheckpoint}).
 */
final class CheckpointWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointWatcher.class);

    private final Duration interval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "snowpack-spark-checkpoint");
        thread.setDaemon(true);
        return thread;
    });

    CheckpointWatcher(Duration interval) {
        this.interval = interval;
    }

    /** Asks {@code checkpoint} every interval until the returned handle is closed. */
    Watch watch(GuardedCheckpoint checkpoint) {
        long millis = interval.toMillis();
        ScheduledFuture<?> task = timer.scheduleWithFixedDelay(() -> {
            if (checkpoint.signalled()) {
                return;
            }
            try {
                checkpoint.check();
            } catch (RuntimeException e) {
                if (!checkpoint.signalled()) {
                    LOG.warn("The checkpoint could not be asked while Spark runs; the commit asks again: {}",
                            e.toString());
                }
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
        return () -> task.cancel(false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** A running watch, ended by {@link #close()}. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }
}
