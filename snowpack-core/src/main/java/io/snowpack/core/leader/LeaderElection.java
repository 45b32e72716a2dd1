package io.snowpack.core.leader;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.spi.Clock;
import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.LeaderLease;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process's claim on the lead of one {@code lock_key} (the scheduler runbook's
 * {@code scheduler_leader} row): each {@link #tick()} takes the lead when it is free or renews it when held.
 * Leadership is given up as soon as a renewal fails or the lease comes within a third of its TTL of expiring
 * without a successful renewal, so two processes never both believe they lead; a dead leader is replaced
 * within one TTL. Loops that must run on one process only (sweeper, orchestrator) ask {@link #isLeader()}.
 */
public final class LeaderElection implements BooleanSupplier, AutoCloseable {
    /** The lock key of the orchestrator and sweeper leader, as in the scheduler runbook. */
    public static final String SCHEDULER = "scheduler";

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    private final LeaderElector elector;
    private final String lockKey;
    private final String holderId;
    private final Duration ttl;
    private final Clock clock;
    private volatile LeaderLease lease;
    private ScheduledFuture<?> loop;

    private LeaderElection(Builder b) {
        elector = Objects.requireNonNull(b.elector, "elector");
        lockKey = b.lockKey;
        holderId = b.holderId;
        ttl = b.ttl;
        clock = b.clock;
        b.meterRegistry.gauge("snowpack.leader", java.util.List.of(
                io.micrometer.core.instrument.Tag.of("lock_key", lockKey)), this, e -> e.isLeader() ? 1 : 0);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Takes or renews the lead once. @return whether this process leads afterwards */
    public synchronized boolean tick() {
        LeaderLease held = lease;
        try {
            Optional<LeaderLease> next = held != null ? elector.renew(held, ttl) : Optional.empty();
            if (held != null && next.isEmpty()) {
                LOG.warn("Lost the lead of '{}' ({}): the lease was taken over or lapsed", lockKey, holderId);
            }
            if (next.isEmpty()) {
                next = elector.tryAcquire(lockKey, holderId, ttl);
                if (next.isPresent() && held == null) {
                    LOG.info("Took the lead of '{}' as {} until {}", lockKey, holderId, next.get().expiresAt());
                }
            }
            lease = next.orElse(null);
        } catch (RuntimeException e) {
            // The store did not answer: keep leading only while the last lease is safely inside its TTL.
            if (held != null && !safelyValid(held)) {
                LOG.warn("Stepping down from '{}': cannot renew the lease ({})", lockKey, e.toString());
                lease = null;
            } else {
                LOG.warn("Leader election for '{}' failed this round: {}", lockKey, e.toString());
            }
        }
        return isLeader();
    }

    /** {@code true} while this process holds a lease that is not close to expiry. */
    public boolean isLeader() {
        LeaderLease held = lease;
        return held != null && safelyValid(held);
    }

    @Override
    public boolean getAsBoolean() {
        return isLeader();
    }

    /** This process's holder id in the {@code scheduler_leader} table. */
    public String holderId() {
        return holderId;
    }

    /** Ticks on {@code scheduler} every third of the TTL until {@link #close()}. */
    public synchronized void start(ScheduledExecutorService scheduler) {
        if (loop != null) {
            throw new IllegalStateException("Leader election for '" + lockKey + "' is already started");
        }
        long period = Math.max(1, ttl.toMillis() / 3);
        loop = scheduler.scheduleWithFixedDelay(this::tickQuietly, 0, period, TimeUnit.MILLISECONDS);
    }

    /** Stops ticking and releases the lead, so another process can take it at once. */
    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.cancel(false);
            loop = null;
        }
        LeaderLease held = lease;
        lease = null;
        if (held != null) {
            try {
                elector.release(held);
                LOG.info("Released the lead of '{}' ({})", lockKey, holderId);
            } catch (RuntimeException e) {
                LOG.warn("Could not release the lead of '{}'; it lapses at {}", lockKey, held.expiresAt(), e);
            }
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("Leader election tick failed", e);
        }
    }

    /** A lease is trusted until a third of its TTL before expiry: renewal happens every third of the TTL. */
    private boolean safelyValid(LeaderLease held) {
        return clock.now().isBefore(held.expiresAt().minus(ttl.dividedBy(3)));
    }

    /** Builds a {@link LeaderElection}. */
    public static final class Builder {
        private LeaderElector elector;
        private String lockKey = SCHEDULER;
        private String holderId = defaultHolderId();
        private Duration ttl = SnowpackConfig.DEFAULT_LEADER_LEASE_TTL;
        private Clock clock = Clock.system();
        private MeterRegistry meterRegistry = new CompositeMeterRegistry();

        private Builder() {
        }

        /** Where leases live. Required. */
        public Builder elector(LeaderElector value) { elector = value; return this; }
        /** What is led; default {@value #SCHEDULER}. */
        public Builder lockKey(String value) { lockKey = Objects.requireNonNull(value, "lockKey"); return this; }
        /** This process's id; default host name, process id and a random suffix. */
        public Builder holderId(String value) { holderId = Objects.requireNonNull(value, "holderId"); return this; }
        /** The lease TTL; default {@link SnowpackConfig#DEFAULT_LEADER_LEASE_TTL}. */
        public Builder ttl(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("ttl must be positive, got " + value);
            }
            ttl = value;
            return this;
        }
        /** The clock that judges how close the lease is to expiry; the backend's clock. */
        public Builder clock(Clock value) { clock = Objects.requireNonNull(value, "clock"); return this; }
        public Builder meterRegistry(MeterRegistry value) { meterRegistry = Objects.requireNonNull(value); return this; }

        public LeaderElection build() {
            return new LeaderElection(this);
        }

        private static String defaultHolderId() {
            return ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
