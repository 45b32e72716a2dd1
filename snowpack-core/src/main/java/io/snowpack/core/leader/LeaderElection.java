package io.snowpack.core.leader;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.schedule.PeriodicTask;
import io.snowpack.core.spi.Clock;
import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TransactionWork;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process's claim on the lead of one {@code lock_key} (the scheduler runbook's
 * {@code scheduler_leader} row): each {@link #tick()} takes the lead when it is free or renews it when held.
 *
 * <p>What it promises:
 * <ul>
 *   <li><b>Never two believers.</b> Lease expiry is decided by the backend alone (database time). This process
 *       trusts a lease only until two thirds of its TTL after the request that took or renewed it was
 *       <em>sent</em>, measured on a local monotonic clock: the backend started the TTL later than that, so the
 *       trust always ends at least a third of the TTL before the backend lets anyone else take over, whatever the
 *       skew between the JVM's and the database's wall clocks. A refused renewal ends the trust at once.</li>
 *   <li><b>Step-down without the store.</b> When the store cannot be reached, leadership ends when the trust
 *       runs out; deciding that needs no call to the store.</li>
 *   <li><b>Renewal is never starved.</b> {@link #start()} renews on a thread of its own, every third of the TTL,
 *       so long health-sync or orchestrator passes cannot delay it; a tick that throws anything, an
 *       {@link Error} included, is logged and the next tick still runs.</li>
 *   <li><b>Failover.</b> A leader that dies without releasing is replaced once its lease has lapsed on the
 *       backend, at the next tick of a candidate: within the remaining lease plus a third of the TTL (plus the
 *       tick itself). {@link #close()} releases the lead, so a graceful stop is replaced within a third of the
 *       TTL.</li>
 * </ul>
 * Loops that must run on one process only (sweeper, orchestrator) ask {@link #isLeader()}, which reads memory
 * only, and make their writes through {@link #whileLeading}, which checks the lease's fence in the same unit of
 * work: a leader deposed since it last looked writes nothing.
 */
public final class LeaderElection implements Leadership, AutoCloseable {
    /** The lock key of the orchestrator and sweeper leader, as in the scheduler runbook. */
    public static final String SCHEDULER = "scheduler";

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    private final LeaderElector elector;
    private final String lockKey;
    private final String holderId;
    private final Duration ttl;
    private final Clock clock;
    private final AtomicReference<Term> term = new AtomicReference<>();
    private final PeriodicTask ticker;

    /** A lease and the local instant until which this process trusts it. */
    private record Term(Lease lease, Instant trustedUntil) {
    }

    private LeaderElection(Builder b) {
        elector = Objects.requireNonNull(b.elector, "elector");
        lockKey = b.lockKey;
        holderId = b.holderId;
        ttl = b.ttl;
        clock = b.clock;
        ticker = new PeriodicTask("Leader election for '" + lockKey + "'");
        Gauge.builder("snowpack.leader", this, e -> e.isLeader() ? 1 : 0).tags(List.of(Tag.of("lock_key", lockKey)))
                .description("1 while this process holds the lease named by lock_key (scheduler, health_sync), else 0")
                .register(b.meterRegistry);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Takes or renews the lead once. @return whether this process leads afterwards */
    public synchronized boolean tick() {
        Term held = term.get();
        Instant sentAt = clock.now();
        try {
            Optional<Lease> next = held != null ? elector.renew(held.lease(), ttl) : Optional.empty();
            if (held != null && next.isEmpty()) {
                LOG.warn("Lost the lead of '{}' ({}): the lease was taken over or lapsed", lockKey, holderId);
            }
            if (next.isEmpty()) {
                next = elector.tryAcquire(lockKey, holderId, ttl);
                if (next.isPresent() && held == null) {
                    LOG.info("Took the lead of '{}' as {} until {} (backend time)", lockKey, holderId,
                            next.get().expiresAt());
                }
            }
            term.set(next.map(lease -> new Term(lease, sentAt.plus(trustedFor()))).orElse(null));
        } catch (RuntimeException e) {
            // The store did not answer: keep leading only while the last lease is still trusted. No store call here.
            if (held != null && !trusted(held)) {
                LOG.warn("Stepping down from '{}': cannot renew the lease ({})", lockKey, e.toString());
                term.set(null);
            } else {
                LOG.warn("Leader election for '{}' failed this round: {}", lockKey, e.toString());
            }
        }
        return isLeader();
    }

    /** {@code true} while this process holds a lease that is not close to expiry. */
    @Override
    public boolean isLeader() {
        Term held = term.get();
        return held != null && trusted(held);
    }

    /**
     * The lease this process leads with, while it is trusted: what leader-only writes are fenced with.
     *
     * @return empty when this process does not lead now
     */
    public Optional<Lease> lease() {
        Term held = term.get();
        return held != null && trusted(held) ? Optional.of(held.lease()) : Optional.empty();
    }

    /**
     * Runs {@code work} in one unit of work that first checks, with the store, that this process's lease still
     * holds ({@link io.snowpack.core.spi.LeaderElector#holds}): a takeover waits until the unit of work ends, and a
     * leader deposed since it last looked writes nothing and stops trusting its lease at once.
     *
     * @throws LeadershipLostException when this process does not lead, or no longer does
     */
    @Override
    public <T> T whileLeading(SnowpackStore store, TransactionWork<T> work) {
        Lease lease = lease().orElseThrow(() -> new LeadershipLostException(
                holderId + " does not lead '" + lockKey + "'"));
        return store.inTransaction(stores -> {
            if (!stores.leaders().holds(lease)) {
                deposed(lease);
                throw new LeadershipLostException(holderId + " was deposed as leader of '" + lockKey + "' (term "
                        + lease.fence() + "): the lease lapsed or was taken over");
            }
            return work.run(stores);
        });
    }

    /**
     * Stops trusting {@code lease} when it is still the one held: the store said its term is over. Lock-free: it
     * runs inside a unit of work, while a tick may wait for that unit of work.
     */
    private void deposed(Lease lease) {
        Term held = term.get();
        if (held != null && held.lease().fence() == lease.fence() && term.compareAndSet(held, null)) {
            LOG.warn("Lost the lead of '{}' ({}): a fenced write found term {} over", lockKey, holderId,
                    lease.fence());
        }
    }

    /** This process's holder id in the {@code scheduler_leader} table. */
    @Override
    public String holderId() {
        return holderId;
    }

    /**
     * Ticks every third of the TTL on a daemon thread of its own ({@code snowpack-leader-<lock_key>-1}) until
     * {@link #close()}. A tick that throws, whatever it throws, is logged and the next one still runs.
     *
     * @throws IllegalStateException when already started
     */
    public synchronized void start() {
        Duration period = Duration.ofMillis(Math.max(1, ttl.toMillis() / 3));
        ticker.startOnOwnThread("snowpack-leader-" + lockKey, Duration.ZERO, period, this::tick, LOG,
                "Leader election tick for '" + lockKey + "'");
    }

    /** Stops ticking and releases the lead, so another process can take it at once. Idempotent. */
    @Override
    public void close() {
        ticker.close();
        synchronized (this) {
            Term held = term.getAndSet(null);
            if (held != null) {
                try {
                    elector.release(held.lease());
                    LOG.info("Released the lead of '{}' ({})", lockKey, holderId);
                } catch (RuntimeException e) {
                    LOG.warn("Could not release the lead of '{}'; it lapses at {} (backend time)", lockKey,
                            held.lease().expiresAt(), e);
                }
            }
        }
    }

    /** How long after its request was sent a lease is trusted: two thirds of the TTL. */
    private Duration trustedFor() {
        return ttl.minus(ttl.dividedBy(3));
    }

    private boolean trusted(Term held) {
        return clock.now().isBefore(held.trustedUntil());
    }

    /** Builds a {@link LeaderElection}. */
    public static final class Builder {
        private LeaderElector elector;
        private String lockKey = SCHEDULER;
        private String holderId = defaultHolderId();
        private Duration ttl = SnowpackConfig.DEFAULT_LEADER_LEASE_TTL;
        private Clock clock = MonotonicClock.INSTANCE;
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
            ttl = Lease.requirePositive(value);
            return this;
        }
        /**
         * The local clock that measures how long ago a lease was taken or renewed; default a monotonic clock
         * ({@link System#nanoTime()}). Never the store's clock: stepping down must not need the store. Tests pass
         * a settable clock.
         */
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
