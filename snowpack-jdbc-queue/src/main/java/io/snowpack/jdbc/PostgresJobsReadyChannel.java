package io.snowpack.jdbc;

import io.snowpack.core.spi.Subscription;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL {@code LISTEN/NOTIFY} for "jobs are ready": {@link #notifyReady} sends on the caller's connection (so
 * the notification leaves at commit, and not at all on rollback); while anyone subscribes, one daemon thread holds
 * one connection that listens, and tells every subscriber. The listening connection is re-opened with backoff
 * when it breaks; subscribers hear once after every (re)connect, since notifications sent meanwhile are lost.
 */
final class PostgresJobsReadyChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresJobsReadyChannel.class);
    private static final int WAIT_MILLIS = 1000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final String channel;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** The listening thread; a thread that is no longer this one stops within a second. */
    private volatile Thread listener;
    private volatile boolean closed;

    PostgresJobsReadyChannel(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.channel = "snowpack_jobs_ready_" + schema.toLowerCase(Locale.ROOT);
    }

    /** The channel name; {@code pg_notify} takes it as text, {@code LISTEN} as a quoted identifier. */
    String channel() {
        return channel;
    }

    synchronized Subscription subscribe(Runnable subscriber) {
        Runnable registered = Objects.requireNonNull(subscriber, "subscriber")::run;
        listeners.add(registered);
        if (listener == null && !closed) {
            listener = new Thread(this::listen, "snowpack-listen-" + channel);
            listener.setDaemon(true);
            listener.start();
        }
        return () -> unsubscribe(registered);
    }

    private synchronized void unsubscribe(Runnable registered) {
        listeners.remove(registered);
        if (listeners.isEmpty() && listener != null) {
            listener.interrupt();
            listener = null;
        }
    }

    private void listen() {
        Thread self = Thread.currentThread();
        Duration backoff = Duration.ofSeconds(1);
        while (listening(self)) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN \"" + channel + "\"");
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                LOG.debug("Listening on {}", channel);
                backoff = Duration.ofSeconds(1);
                fire(); // anything sent while not listening was lost
                while (listening(self)) {
                    PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
                    if (received != null && received.length > 0) {
                        fire();
                    }
                }
            } catch (SQLException e) {
                if (!listening(self)) {
                    break;
                }
                LOG.warn("Listening on {} failed; workers fall back to polling, retrying in {} s: {}", channel,
                        backoff.toSeconds(), e.toString());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        LOG.debug("Stopped listening on {}", channel);
    }

    private boolean listening(Thread self) {
        return !closed && listener == self;
    }

    private void fire() {
        for (Runnable subscriber : listeners) {
            try {
                subscriber.run();
            } catch (RuntimeException e) {
                LOG.warn("A jobs-ready listener failed", e);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        listeners.clear();
        if (listener != null) {
            listener.interrupt();
            listener = null;
        }
    }
}
